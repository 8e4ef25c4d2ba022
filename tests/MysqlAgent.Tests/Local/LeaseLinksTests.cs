using System.Runtime.Versioning;
using MysqlAgent.Election;
using MysqlLocal.Failover;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

/// <summary>
/// The local set's Lease as the agents reach it: through each pod's own link to the shared folder,
/// which <c>isolate</c> cuts. What must hold is what the agents' FileLeaseStore answers.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LeaseLinksTests : IDisposable
{
    private static readonly LeaseRecord First = new(
        "mysql-0",
        1,
        DateTimeOffset.UnixEpoch,
        [],
        null,
        false
    );

    private readonly SetPaths _set = new(
        Directory.CreateTempSubdirectory("f15b-lease-links-").FullName
    );

    [Fact]
    public async Task An_isolated_pods_store_answers_unavailable_never_not_found_so_it_cannot_create_a_Lease()
    {
        var pod = _set.Pod(0);
        LeaseLinks.EnsureLinked(_set, pod);
        LeaseLinks.Isolate(pod);
        var store = Store(pod);

        var read = await store.GetAsync(CancellationToken.None);
        var create = await store.CreateAsync(First, CancellationToken.None);

        Assert.True(LeaseLinks.IsIsolated(pod));
        Assert.Equal(LeaseOutcome.Unavailable, read.Outcome);
        Assert.Equal(LeaseOutcome.Unavailable, create.Outcome);
        Assert.False(File.Exists(_set.LeaseFile));
    }

    [Fact]
    public async Task A_pod_cut_off_while_holding_cannot_renew_and_after_heal_sees_what_others_wrote()
    {
        var holder = _set.Pod(0);
        var peer = _set.Pod(1);
        LeaseLinks.EnsureLinked(_set, holder);
        LeaseLinks.EnsureLinked(_set, peer);
        var created = (await Store(holder).CreateAsync(First, CancellationToken.None)).Lease!;

        LeaseLinks.Isolate(holder);
        var renew = await Store(holder)
            .ReplaceAsync(
                First with
                {
                    RenewedAt = DateTimeOffset.UnixEpoch.AddSeconds(2),
                },
                created.Version,
                CancellationToken.None
            );
        var taken = await Store(peer)
            .ReplaceAsync(
                First with
                {
                    Holder = "mysql-1",
                    Term = 2,
                },
                created.Version,
                CancellationToken.None
            );
        LeaseLinks.Heal(_set, holder);
        var seen = await Store(holder).GetAsync(CancellationToken.None);

        Assert.Equal(LeaseOutcome.Unavailable, renew.Outcome);
        Assert.Equal(LeaseOutcome.Ok, taken.Outcome);
        Assert.False(LeaseLinks.IsIsolated(holder));
        Assert.Equal(("mysql-1", 2L), (seen.Lease!.Record.Holder, seen.Lease.Record.Term));
    }

    [Fact]
    public async Task The_local_set_reads_the_holder_and_term_the_agents_store_wrote()
    {
        var pod = _set.Pod(2);
        Assert.Null(LeaseFile.Read(_set));
        LeaseLinks.EnsureLinked(_set, pod);
        var created = (
            await Store(pod).CreateAsync(First with { Holder = "mysql-2" }, CancellationToken.None)
        ).Lease!;
        await Store(pod)
            .ReplaceAsync(
                First with
                {
                    Holder = "",
                    Term = 1,
                    Paused = true,
                },
                created.Version,
                CancellationToken.None
            );

        var lease = LeaseFile.Read(_set)!;

        Assert.Equal(("", 1L, true, 2L), (lease.Holder, lease.Term, lease.Paused, lease.Version));
    }

    [Fact]
    public void Linking_again_keeps_an_isolated_pod_isolated()
    {
        var pod = _set.Pod(1);
        LeaseLinks.EnsureLinked(_set, pod);
        LeaseLinks.Isolate(pod);

        LeaseLinks.EnsureLinked(_set, pod);

        Assert.True(LeaseLinks.IsIsolated(pod));
        Assert.False(File.Exists(pod.LeaseLink + ".new"));
    }

    private static FileLeaseStore Store(PodPaths pod) =>
        new(pod.LeaseLink, TimeSpan.FromSeconds(2), TimeProvider.System);

    public void Dispose() => Directory.Delete(_set.StateDir, recursive: true);
}
