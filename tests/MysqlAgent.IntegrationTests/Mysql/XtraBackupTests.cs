using System.Text.RegularExpressions;
using DotNet.Testcontainers.Builders;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>
/// The MySQL clone path needs Percona XtraBackup, which Debian does not package: these run only where
/// MYSQL_AGENT_TEST_XTRABACKUP_IMAGE names an image with it, and are skipped with that reason here.
/// </summary>
[Collection(MysqlContainers.Name)]
[Trait("Category", "Slow")]
public sealed partial class XtraBackupTests(MysqlEngine engine, ITestOutputHelper output)
{
    [XtraBackupFact(Timeout = 900_000)]
    public async Task The_XtraBackup_image_can_back_up_the_MySQL_image_it_is_paired_with()
    {
        await using var server = await engine.StartAsync(1);
        var serverVersion = Version.Parse(
            VersionPrefix().Match(await server.ScalarAsync<string>("SELECT VERSION()") ?? "").Value
        );
        await using var tool = new ContainerBuilder(
            Environment.GetEnvironmentVariable(MysqlEnvironment.XtraBackupImageVariable)!
        )
            .WithDockerEndpoint(engine.Endpoint!)
            .WithCleanUp(false)
            .WithLabel(MysqlEngine.Label, "xtrabackup")
            .WithLabel(MysqlEngine.OwnerLabel, MysqlEngine.Owner)
            .WithEntrypoint("sleep")
            .WithCommand("infinity")
            .Build();
        await tool.StartAsync();

        var result = await tool.ExecAsync(["xtrabackup", "--version"]);
        output.WriteLine(result.Stdout + result.Stderr);
        var toolVersion = Version.Parse(
            VersionPrefix()
                .Match(Regex.Match(result.Stdout + result.Stderr, @"version (\S+)").Groups[1].Value)
                .Value
        );
        // XtraBackup must be the server's minor version or newer (8.0 for 8.0, 8.4 for 8.4).
        Assert.True(
            toolVersion >= new Version(serverVersion.Major, serverVersion.Minor),
            $"xtrabackup {toolVersion} cannot back up mysqld {serverVersion}"
        );
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+")]
    private static partial Regex VersionPrefix();
}
