using System.Runtime.Versioning;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

/// <summary>A set's desired state for tests that never start a program: three pods on the default ports, with failover.</summary>
[SupportedOSPlatform("linux")]
internal static class TestDesiredStates
{
    public static DesiredState ThreePods() =>
        new()
        {
            Replicas = 3,
            BasePort = PodPorts.DefaultBase,
            InitBinary = "/bin/true",
            AgentBinary = "/bin/true",
            ConfigMapDir = "/nonexistent",
            MysqldBinary = "/bin/true",
            InstallDbBinary = "/bin/true",
            Failover = true,
        };
}
