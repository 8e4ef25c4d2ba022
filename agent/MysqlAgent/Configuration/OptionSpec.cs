namespace MysqlAgent.Configuration;

/// <summary>One option of mysql-agent: its command-line name, environment variable, default and help.</summary>
/// <param name="IsSecret">
/// A password or token: read only from its environment variable or from the file named by the
/// <c>-file</c> option beside it; refused on a command line, which every process can read.
/// </param>
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

    /// <summary>For a secret: the option naming the file it is read from.</summary>
    public string FileOptionName => Name + "-file";
}
