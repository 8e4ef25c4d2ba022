using MysqlAgent.Errors;

namespace MysqlAgent.Configuration;

/// <summary>A bad option or option value; the message names the option and what it accepts.</summary>
public sealed class ConfigurationException : AgentException
{
    public ConfigurationException(string message)
        : base(message) { }

    public ConfigurationException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
