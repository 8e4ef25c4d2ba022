using System.Net;
using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Identity;
using MysqlAgent.PrimaryProxy;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.PrimaryProxy;

/// <summary>Where the primary proxy sends a new connection, for each view of the Lease the election can have.</summary>
public sealed class PrimaryProxyRouteTests
{
    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(10);
    private static readonly PodIdentity Self = new("mysql-1", "mysql", 1);

    private static Endpoint MysqldOf(int ordinal) => new($"mysql-{ordinal}.mysql", 3306);

    public static TheoryData<string, LeaseHolder?, double?, string?, string, long> Cases =>
        new()
        {
            { "before the first read: refused, nothing to cut", null, null, null, "", -1 },
            {
                "released: refused in its term",
                new LeaseHolder("", 3) { Promoted = false },
                1,
                null,
                "",
                3
            },
            {
                "a holder that has not promoted yet: refused",
                new LeaseHolder("mysql-2", 4),
                1,
                null,
                "mysql-2",
                4
            },
            {
                "promoted and renewed 1 s ago: to its mysqld",
                new LeaseHolder("mysql-2", 4) { Promoted = true },
                1,
                "mysql-2.mysql:3306",
                "mysql-2",
                4
            },
            {
                "the holder is this pod: to itself, by the same name",
                new LeaseHolder("mysql-1", 5) { Promoted = true },
                0,
                "mysql-1.mysql:3306",
                "mysql-1",
                5
            },
            {
                "no renewal seen for the renew deadline: refused",
                new LeaseHolder("mysql-2", 4) { Promoted = true },
                10,
                null,
                "mysql-2",
                4
            },
            {
                "no renewal seen at all: refused",
                new LeaseHolder("mysql-2", 4) { Promoted = true },
                null,
                null,
                "mysql-2",
                4
            },
            {
                "a pod of another StatefulSet: refused",
                new LeaseHolder("other-0", 4) { Promoted = true },
                1,
                null,
                "other-0",
                4
            },
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_connection_goes_only_to_a_holder_that_promoted_and_renews(
        string why,
        LeaseHolder? lease,
        double? sinceChangedSeconds,
        string? target,
        string holder,
        long term
    )
    {
        var route = PrimaryProxyRoute.Decide(
            lease,
            sinceChangedSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            RenewDeadline,
            Self,
            MysqldOf
        );

        Assert.True(
            target is null ? route.Target is null : route.Target is DnsEndPoint,
            $"{why}: {route.Text}"
        );
        if (route.Target is DnsEndPoint name)
        {
            Assert.Equal(target, $"{name.Host}:{name.Port}");
        }

        Assert.Equal(holder, route.Holder);
        Assert.Equal(term, route.Term);
        Assert.False(string.IsNullOrEmpty(route.Text));
    }

    [Fact]
    public void Without_an_election_every_connection_goes_to_ordinal_0()
    {
        var route = PrimaryProxyRoute.Ordinal0(Self, MysqldOf);

        Assert.Equal(new DnsEndPoint("mysql-0.mysql", 3306), route.Target);
        Assert.Equal("mysql-0", route.Holder);
        Assert.Equal(0, route.Term);
    }

    [Fact]
    public void A_connect_to_address_is_used_as_an_address()
    {
        var route = PrimaryProxyRoute.Ordinal0(Self, _ => new Endpoint("127.0.0.1", 13306));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 13306), route.Target);
    }

    [Fact]
    public void The_route_follows_the_renewals_the_election_saw_on_this_agents_clock()
    {
        var time = new FakeTimeProvider();
        var options = Read(
            "--lease-store",
            "file:/tmp/x",
            "--connect-to",
            "mysql-2.mysql:3306:127.0.0.1:13306"
        );
        var role = new RoleProvider(options, time);
        var lease = new LeaseHolder("mysql-2", 4) { Promoted = true };

        role.Observe(lease, null, TimeSpan.FromSeconds(2));
        Assert.Equal(
            new IPEndPoint(IPAddress.Loopback, 13306),
            PrimaryProxyRoute.For(role, options).Target
        );

        // No new renewal seen: at the renew deadline since the last one, no route.
        time.Advance(options.ElectionTimings.RenewDeadline - TimeSpan.FromSeconds(2));
        Assert.Null(PrimaryProxyRoute.For(role, options).Target);
    }

    [Fact]
    public void Without_a_lease_store_the_route_is_ordinal_0_as_the_agent_addresses_it()
    {
        var options = Read();

        var route = PrimaryProxyRoute.For(new RoleProvider(options, TimeProvider.System), options);

        Assert.Equal(new DnsEndPoint("mysql-0.mysql", 3306), route.Target);
    }

    private static AgentOptions Read(params string[] args) =>
        AgentOptionsReader.Read(
            OptionValues.Parse(["--hostname", "mysql-1", .. args], new AgentSecrets().Environment)
        );
}
