namespace MysqlAgent.Configuration;

/// <summary>A password or token: never printed, logged or put on a command line.</summary>
public sealed class Secret
{
    public Secret(string value, string source)
    {
        Value = value;
        Source = source;
    }

    public string Value { get; }

    /// <summary>Where it came from (an option, a variable or a file), for the startup log.</summary>
    public string Source { get; }

    public override string ToString() => $"<secret from {Source}>";
}
