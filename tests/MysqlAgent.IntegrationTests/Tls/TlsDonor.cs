using Microsoft.Extensions.DependencyInjection;
using MysqlAgent.IntegrationTests.Clone;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.Metrics;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Tls;

/// <summary>The clone tests' donor agent (in-process <c>serve</c>), its backup port serving HTTPS with the given files.</summary>
internal sealed class TlsDonor : IAsyncDisposable
{
    public const string Token = "tls-test-token";

    private readonly InProcessAgent _agent;

    private TlsDonor(InProcessAgent agent) => _agent = agent;

    public int BackupPort => _agent.Options.BackupPort;

    /// <summary>Backup streams this donor served or started, whatever their result.</summary>
    public double StreamsStarted
    {
        get
        {
            var metrics = _agent.Services.GetRequiredService<AgentMetrics>();
            return metrics.BackupStreams.WithLabels("success").Value
                + metrics.BackupStreams.WithLabels("failed").Value
                + metrics.BackupStreams.WithLabels("cancelled").Value
                + metrics.BackupsInProgress.Value;
        }
    }

    public static async Task<TlsDonor> StartAsync(MariaDbServer server, TlsFileSet? tls)
    {
        var agent = DonorFixture.BuildAgent(server, FreePorts.Next(), Token, tls?.Arguments ?? []);
        await agent.StartAsync();
        return new TlsDonor(agent);
    }

    /// <summary>Secrets as the environment gives them (no plain secret options on a command line).</summary>
    public static Func<string, string?> Environment(string token) =>
        new AgentSecrets(ReplicationPassword: "unused", BackupToken: token).Environment;

    public ValueTask DisposeAsync() => _agent.DisposeAsync();
}
