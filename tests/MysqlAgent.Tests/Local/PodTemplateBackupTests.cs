using System.Runtime.Versioning;
using MysqlLocal.Kubelet;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

/// <summary>The set's backup target in the pods the kubelet runs, and the one-shot backup run as in a pod's agent container.</summary>
[SupportedOSPlatform("linux")]
public sealed class PodTemplateBackupTests : IDisposable
{
    private readonly SetPaths _set = new(
        Directory.CreateTempSubdirectory("backup-template-").FullName
    );

    [Fact]
    public void With_a_backup_target_every_agent_archives_there_and_the_backup_uses_the_pods_own_server()
    {
        var desired = Desired("file:" + _set.BackupsDir);
        var template = new PodTemplate(_set, desired, 2);

        Assert.Contains("--target=file:" + _set.BackupsDir, template.Agent().Arguments);
        var backup = template.Backup();
        Assert.Equal("backup", backup.Arguments[0]);
        Assert.Contains("--target=file:" + _set.BackupsDir, backup.Arguments);
        Assert.Contains("--data-dir=" + _set.Pod(2).DataDir, backup.Arguments);
        Assert.Contains("--mysql-port=" + template.Ports.Mysql, backup.Arguments);
        Assert.Equal("mysql-2", backup.Environment["HOSTNAME"]);
        // The passwords come as files, never as values on a command line.
        Assert.DoesNotContain(
            backup.Arguments,
            a => a.StartsWith("--admin-password=", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Without_a_backup_target_no_agent_archives()
    {
        var template = new PodTemplate(_set, Desired(""), 0);

        Assert.DoesNotContain(
            template.Agent().Arguments,
            a => a.StartsWith("--target", StringComparison.Ordinal)
        );
    }

    private static DesiredState Desired(string target) =>
        TestDesiredStates.ThreePods() with
        {
            BackupTarget = target,
        };

    public void Dispose() => Directory.Delete(_set.StateDir, recursive: true);
}
