namespace MysqlAgent.Configuration;

/// <summary>One option of mysql-agent: its command-line name, environment variable, default and help.</summary>
public sealed record OptionSpec(
    string Name,
    string Help,
    string? Default = null,
    bool IsFlag = false,
    bool IsRepeatable = false,
    bool IsSecret = false,
    string? ExtraEnvironmentName = null
)
{
    /// <summary>Every option is also read from <c>MYSQL_AGENT_&lt;NAME&gt;</c>, e.g. <c>MYSQL_AGENT_DATA_DIR</c>.</summary>
    public string EnvironmentName { get; } =
        "MYSQL_AGENT_" + Name.ToUpperInvariant().Replace('-', '_');

    public string CommandLineName => "--" + Name;
}
