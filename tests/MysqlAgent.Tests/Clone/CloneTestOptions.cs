using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Clone;

/// <summary>Options as <c>mysql-agent clone</c> would read them for a pod of the given ordinal.</summary>
internal static class CloneTestOptions
{
    public static AgentOptions Create(string dataDir, int ordinal, params string[] extra)
    {
        string[] args = ["--hostname", $"mysql-{ordinal}", "--data-dir", dataDir, .. extra];
        return AgentOptionsReader.Read(OptionValues.Parse(args, new AgentSecrets().Environment));
    }
}
