namespace MysqlAgent.Configuration;

/// <summary>
/// A password or token. <see cref="ToString"/> names only where it came from, so a Secret that
/// reaches a log line or <c>--dry-run</c>'s output prints no value; <see cref="Value"/> is the real
/// one, for the few places that must send it (a connection string, a 0600 defaults file, an HTTP
/// header), none of them a command line.
/// </summary>
public sealed class Secret
{
    public Secret(string value, string source)
    {
        Value = value;
        Source = source;
    }

    public string Value { get; }

    /// <summary>Where it came from (a file named by a <c>-file</c> option, or an environment variable), for the startup log.</summary>
    public string Source { get; }

    public override string ToString() => $"<secret from {Source}>";
}
