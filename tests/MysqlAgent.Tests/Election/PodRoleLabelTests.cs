using System.Net;
using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

/// <summary>The pod's role label through the real KubernetesClient.Aot code against the fake API server.</summary>
public sealed class PodRoleLabelTests
{
    [Fact]
    public async Task The_role_label_is_merge_patched_only_when_it_changes_and_a_failure_is_reported_not_thrown()
    {
        await using var api = await FakeLeaseApiServer.StartAsync();
        using var label = Mysql1Label(api);

        Assert.Null(await label.SetAsync("primary", CancellationToken.None));
        Assert.Equal("primary", api.PodLabels("db", "mysql-1")[PodRoleLabel.LabelKey]);
        var calls = api.Calls;
        Assert.Null(await label.SetAsync("primary", CancellationToken.None));
        Assert.Equal(calls, api.Calls);

        api.FailWith = HttpStatusCode.Forbidden;
        var error = await label.SetAsync("replica", CancellationToken.None);
        Assert.Equal("patch pod db/mysql-1: HTTP 403 Forbidden", error);
        Assert.Equal("primary", api.PodLabels("db", "mysql-1")[PodRoleLabel.LabelKey]);

        api.FailWith = null;
        Assert.Null(await label.SetAsync("replica", CancellationToken.None));
        Assert.Equal("replica", api.PodLabels("db", "mysql-1")[PodRoleLabel.LabelKey]);
    }

    [Fact]
    public async Task A_new_primary_takes_the_primary_label_off_an_old_holder_and_leaves_any_other_role_alone()
    {
        await using var api = await FakeLeaseApiServer.StartAsync();
        using var label = Mysql1Label(api);
        api.SetPodLabel("db", "mysql-0", PodRoleLabel.LabelKey, "primary");
        api.SetPodLabel("db", "mysql-2", PodRoleLabel.LabelKey, "errant");

        Assert.Equal((true, null), await label.DemoteAsync("mysql-0", CancellationToken.None));
        Assert.Equal("demoted", api.PodLabels("db", "mysql-0")[PodRoleLabel.LabelKey]);

        // Not labelled primary (any more), or gone: nothing to do, and no error.
        Assert.Equal((false, null), await label.DemoteAsync("mysql-0", CancellationToken.None));
        Assert.Equal((false, null), await label.DemoteAsync("mysql-2", CancellationToken.None));
        Assert.Equal("errant", api.PodLabels("db", "mysql-2")[PodRoleLabel.LabelKey]);
        Assert.Equal((false, null), await label.DemoteAsync("mysql-7", CancellationToken.None));
        Assert.Empty(api.PodLabels("db", "mysql-7"));

        api.SetPodLabel("db", "mysql-0", PodRoleLabel.LabelKey, "primary");
        api.FailWith = HttpStatusCode.Forbidden;
        Assert.Equal(
            (false, "patch pod db/mysql-0: HTTP 403 Forbidden"),
            await label.DemoteAsync("mysql-0", CancellationToken.None)
        );
        Assert.Equal("primary", api.PodLabels("db", "mysql-0")[PodRoleLabel.LabelKey]);
    }

    // Generous: this is about what is patched, not how fast. The first call runs the client's code
    // for the first time, which took over 5 s on the loaded 2-core machine.
    private static PodRoleLabel Mysql1Label(FakeLeaseApiServer api) =>
        PodRoleLabel.ForHost(
            api.Address,
            "db",
            "mysql-1",
            TimeSpan.FromSeconds(60),
            TimeProvider.System
        );
}
