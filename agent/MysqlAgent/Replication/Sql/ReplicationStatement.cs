namespace MysqlAgent.Replication.Sql;

/// <summary>
/// A statement to run, with a second rendering for logs in which every secret is masked.
/// <see cref="ToString"/> returns the redacted text, so interpolating a statement into a log line
/// cannot leak the password.
/// </summary>
public sealed class ReplicationStatement
{
    public const string Mask = "'***'";

    public ReplicationStatement(string sql, string redacted)
    {
        Sql = sql;
        Redacted = redacted;
    }

    /// <summary>The text to send to the server. Never log it.</summary>
    public string Sql { get; }

    /// <summary>The same statement with secrets replaced by <see cref="Mask"/>.</summary>
    public string Redacted { get; }

    /// <summary>A statement with no secret in it.</summary>
    public static ReplicationStatement Plain(string sql) => new(sql, sql);

    public override string ToString() => Redacted;
}
