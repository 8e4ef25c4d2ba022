using System.Runtime.Versioning;
using MysqlLocal.Kubelet;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

/// <summary>What failover (the default; not <c>up --fixed-primary</c>) changes in the pods the kubelet runs, and what it leaves alone without it.</summary>
[SupportedOSPlatform("linux")]
public sealed class PodTemplateFailoverTests : IDisposable
{
    private readonly SetPaths _set = new(
        Directory.CreateTempSubdirectory("f15b-template-").FullName
    );

    [Fact]
    public void With_failover_every_agent_uses_its_own_link_to_the_Lease_and_knows_every_pod_of_the_set()
    {
        var template = new PodTemplate(_set, Desired(failover: true), 1);

        var agent = template.Agent().Arguments;

        Assert.Contains("--lease-store=file:" + _set.Pod(1).LeaseLink, agent);
        Assert.Equal(["mysql-0.mysql", "mysql-1.mysql", "mysql-2.mysql"], MappedNames(agent));
        Assert.Contains(
            $"--connect-to=mysql-2.mysql:{template.Ports.Http}:127.0.0.1:{PodPorts.For(PodPorts.DefaultBase, 2).Http}",
            agent
        );
        Assert.DoesNotContain(
            template.Clone().Arguments,
            a => a.StartsWith("--lease-store", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void With_failover_every_mysqld_boots_read_only_and_acknowledging_as_a_replica_the_first_primarys_too()
    {
        var template = new PodTemplate(_set, Desired(failover: true), 0);
        using var log = new ContainerLog(_set.Pod(0).Log("mysql"));

        var arguments = Mysqld(template, log);

        Assert.Contains("--read-only", arguments);
        Assert.Contains("--rpl-semi-sync-slave-enabled=ON", arguments);
    }

    [Fact]
    public void Without_failover_the_pods_are_as_before()
    {
        var template = new PodTemplate(_set, Desired(failover: false), 1);
        using var log = new ContainerLog(_set.Pod(1).Log("mysql"));

        Assert.DoesNotContain(
            template.Agent().Arguments,
            a => a.StartsWith("--lease-store", StringComparison.Ordinal)
        );
        Assert.Equal(["mysql-0.mysql", "mysql-1.mysql"], MappedNames(template.Agent().Arguments));
        var arguments = Mysqld(template, log);
        Assert.DoesNotContain("--read-only", arguments);
        Assert.DoesNotContain("--rpl-semi-sync-slave-enabled=ON", arguments);
    }

    private IReadOnlyList<string> Mysqld(PodTemplate template, ContainerLog log)
    {
        var desired = Desired(failover: true);
        var entrypoint = new MysqlEntrypoint(
            template.Pod,
            template.Ports,
            desired,
            _set,
            log,
            TimeProvider.System
        );
        return template.Mysql(entrypoint).ArgumentsAtStart!();
    }

    /// <summary>The pod names the --connect-to options map, once each, in order.</summary>
    private static string[] MappedNames(IEnumerable<string> arguments) =>
        arguments
            .Where(a => a.StartsWith("--connect-to=", StringComparison.Ordinal))
            .Select(a => a["--connect-to=".Length..].Split(':')[0])
            .Distinct()
            .ToArray();

    private static DesiredState Desired(bool failover) =>
        TestDesiredStates.ThreePods() with
        {
            Failover = failover,
        };

    public void Dispose() => Directory.Delete(_set.StateDir, recursive: true);
}
