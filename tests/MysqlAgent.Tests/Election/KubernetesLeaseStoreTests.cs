using System.Net;
using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

/// <summary>The contract, through the real KubernetesClient.Aot code, against <see cref="FakeLeaseApiServer"/>.</summary>
public sealed class KubernetesLeaseStoreTests : LeaseStoreContract, IAsyncLifetime
{
    // Generous: the shared build machine can be slow to answer even on loopback; a timeout here
    // would be a flaky test, not a finding. The hang test uses its own short one.
    private static readonly ElectionTimings Timings = ElectionTimings.Default with
    {
        ApiCallTimeout = TimeSpan.FromSeconds(10),
    };

    private readonly List<KubernetesLeaseStore> _clients = [];
    private FakeLeaseApiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeLeaseApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _server.DisposeAsync();
    }

    protected override ILeaseStore NewClient() => NewClient(Timings);

    private KubernetesLeaseStore NewClient(ElectionTimings timings)
    {
        var client = KubernetesLeaseStore.ForHost(
            _server.Address,
            "db",
            "mysql-primary",
            timings,
            TimeProvider.System
        );
        _clients.Add(client);
        return client;
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task An_API_error_is_unavailable_with_its_status_and_the_store_recovers(
        HttpStatusCode status
    )
    {
        var store = NewClient();
        var created = (await store.CreateAsync(First, CancellationToken.None)).Lease!;
        _server.FailWith = status;

        var read = await store.GetAsync(CancellationToken.None);
        var replace = await store.ReplaceAsync(
            First with
            {
                Term = 2,
            },
            created.Version,
            CancellationToken.None
        );
        var create = await store.CreateAsync(First, CancellationToken.None);
        _server.FailWith = null;
        var after = await store.GetAsync(CancellationToken.None);

        Assert.All(
            new[] { read, replace, create },
            r =>
            {
                Assert.Equal(LeaseOutcome.Unavailable, r.Outcome);
                Assert.Contains($"HTTP {(int)status}", r.Error, StringComparison.Ordinal);
            }
        );
        Assert.Equal(created, after.Lease);
    }

    [Fact]
    public async Task A_hung_API_server_is_unavailable_after_the_call_timeout_then_answers_again()
    {
        var store = NewClient(Timings with { ApiCallTimeout = TimeSpan.FromMilliseconds(500) });
        var created = (await NewClient().CreateAsync(First, CancellationToken.None)).Lease!;
        _server.Hang();

        var read = await store.GetAsync(CancellationToken.None);
        var replace = await store.ReplaceAsync(
            First with
            {
                Term = 2,
            },
            created.Version,
            CancellationToken.None
        );
        _server.Release();
        var after = await NewClient().GetAsync(CancellationToken.None);

        Assert.Equal(LeaseOutcome.Unavailable, read.Outcome);
        Assert.Contains("timed out", read.Error, StringComparison.Ordinal);
        Assert.Equal(LeaseOutcome.Unavailable, replace.Outcome);
        Assert.Equal(created, after.Lease);
    }

    [Fact]
    public async Task A_refused_connection_is_unavailable()
    {
        var address = _server.Address;
        await _server.DisposeAsync();
        var store = KubernetesLeaseStore.ForHost(
            address,
            "db",
            "mysql-primary",
            Timings,
            TimeProvider.System
        );

        var read = await store.GetAsync(CancellationToken.None);

        Assert.Equal(LeaseOutcome.Unavailable, read.Outcome);
        _server = await FakeLeaseApiServer.StartAsync();
    }
}
