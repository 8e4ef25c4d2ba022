using System.Runtime.Versioning;
using MysqlAgent.TestSupport;
using MysqlLocal.Failover;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

/// <summary>With <c>up --fixed-primary</c> the mysql-primary port needs no Lease: it always sends to mysql-0.</summary>
[SupportedOSPlatform("linux")]
public sealed class FixedPrimaryForwarderTests
{
    [Fact]
    public async Task Every_connection_goes_to_mysql_0_with_no_Lease_at_all()
    {
        var basePort = FreeBase();
        await using var mysql0 = NamedServer.Start(PodPorts.For(basePort, 0).Mysql, "mysql-0");
        await using var mysql1 = NamedServer.Start(PodPorts.For(basePort, 1).Mysql, "mysql-1");
        var log = new List<string>();
        await using (
            var forwarder = PrimaryForwarder.StartToMysql0(
                basePort,
                TimeProvider.System,
                line =>
                {
                    lock (log)
                    {
                        log.Add(line);
                    }
                }
            )
        )
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("mysql-0", await NamedServer.ReadThroughAsync(forwarder.Port));
            }
        }

        lock (log)
        {
            Assert.Contains(
                log,
                l =>
                    l.Contains("forwarding to mysql-0, the fixed primary", StringComparison.Ordinal)
            );
        }
    }

    private static int FreeBase()
    {
        while (true)
        {
            var basePort =
                20000
                + (System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 120) * 100)
                + 60;
            if (
                FreePorts.IsFree(PodPorts.PrimaryPort(basePort))
                && FreePorts.IsFree(PodPorts.For(basePort, 0).Mysql)
                && FreePorts.IsFree(PodPorts.For(basePort, 1).Mysql)
            )
            {
                return basePort;
            }
        }
    }
}
