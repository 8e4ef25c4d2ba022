namespace MysqlAgent.Health;

/// <summary><c>/status</c>'s <c>replicationSetup</c>: <c>not_needed</c>, <c>pending</c>, <c>running</c>, <c>done</c> or <c>failed</c>.</summary>
public sealed record ReplicationSetupDocument(string State, string? Reason, DateTimeOffset Since);
