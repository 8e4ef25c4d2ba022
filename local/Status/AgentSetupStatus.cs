namespace MysqlLocal.Status;

/// <summary><c>/status</c>'s <c>replicationSetup</c>.</summary>
public sealed record AgentSetupStatus(string? State, string? Reason);
