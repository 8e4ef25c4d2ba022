namespace MysqlLocal.Ports;

/// <summary>
/// A process that listens on a port: its id and command line, or null for both when the socket
/// is owned by a process this user cannot look into (another user's, or another namespace's).
/// </summary>
public sealed record PortHolder(int Port, int? Pid, string? CommandLine);
