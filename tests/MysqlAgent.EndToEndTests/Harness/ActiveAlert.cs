namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>One active alert: its name, the pod label if any, pending or firing, and its rendered description.</summary>
public sealed record ActiveAlert(string Name, string? Pod, string State, string Description);
