namespace MysqlAgent.Health;

/// <summary>Whether this pod should take traffic, and the one-line reason shown either way.</summary>
public sealed record ReadinessVerdict(bool Ready, string Reason)
{
    /// <summary>The body of <c>/readyz</c>: <c>ready: ...</c> or <c>not ready: ...</c>.</summary>
    public string Line => (Ready ? "ready: " : "not ready: ") + Reason;

    public static ReadinessVerdict Yes(string reason) => new(true, reason);

    public static ReadinessVerdict No(string reason) => new(false, reason);
}
