namespace MysqlLocal.Commands;

/// <summary>A bad command line: exit 2 with the one-line message.</summary>
public sealed class UsageException(string message) : Exception(message);
