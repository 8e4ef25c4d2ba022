using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Hosting;

/// <summary>The command line and secrets of an agent that only watches its mysqld.</summary>
public sealed record WatchOnlyAgent(IReadOnlyList<string> CommandLine, AgentSecrets Secrets);
