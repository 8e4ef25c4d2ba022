using System.Net;
using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

/// <summary>The re-clone's pod deletion through the real KubernetesClient.Aot code against the fake API server.</summary>
public sealed class KubernetesPodDeleterTests
{
    [Fact]
    public async Task The_agent_deletes_its_own_pod_and_a_refusal_is_one_line_naming_the_fix()
    {
        await using var api = await FakeLeaseApiServer.StartAsync();
        api.SetPodLabel("db", "mysql-0", PodRoleLabel.LabelKey, "errant");
        api.SetPodLabel("db", "mysql-1", PodRoleLabel.LabelKey, "primary");
        // Generous: the first call runs the client's code for the first time.
        using var deleter = new KubernetesPodDeleter(
            PodApi.ForHost(api.Address, "db", TimeSpan.FromSeconds(60), TimeProvider.System),
            "mysql-0"
        );

        api.FailWith = HttpStatusCode.Forbidden;
        Assert.Equal(
            "delete pod db/mysql-0: HTTP 403 Forbidden (the manifests' Role mysql-agent-reclone grants pods delete; or turn the re-clone off: --reclone-errant false, the keep-errant component)",
            await deleter.DeleteOwnPodAsync(CancellationToken.None)
        );
        Assert.Empty(api.DeletedPods);

        api.FailWith = null;
        Assert.Null(await deleter.DeleteOwnPodAsync(CancellationToken.None));
        Assert.Equal(["db/mysql-0"], api.DeletedPods);
        Assert.Equal("primary", api.PodLabels("db", "mysql-1")[PodRoleLabel.LabelKey]);
    }
}
