using k8s.Models;
using MysqlAgent.Archive;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;

namespace MysqlAgent.Tests.Manifests;

/// <summary>
/// The backups component: every agent archives to the target of the ConfigMap mysql-backups (the
/// primary's does the work), and a daily CronJob prunes with the agent's own image and keep rules.
/// </summary>
public sealed class BackupsComponentTests(RenderedManifests manifests)
    : IClassFixture<RenderedManifests>
{
    public static TheoryData<string> Renders =>
        new() { RenderedManifests.MariaDbWithBackups, RenderedManifests.Mysql84WithBackups };

    [Theory]
    [MemberData(nameof(Renders))]
    public void Every_agent_serves_with_the_target_and_the_settings_of_the_ConfigMap(string render)
    {
        var set = manifests.StatefulSet(render);
        var agent = RenderedManifests.Container(set, "agent");
        var data = BackupsConfig(render).Data;

        var environment = Resolve(agent, data);
        Assert.Equal(data["target"], environment["MYSQL_AGENT_TARGET"]);
        Assert.True(OptionalSecret(agent, "AWS_ACCESS_KEY_ID"));
        Assert.True(OptionalSecret(agent, "AWS_SECRET_ACCESS_KEY"));

        // The agent reads what the pod gives it as a valid target and S3 settings.
        environment["HOSTNAME"] = "mysql-1";
        var options = AgentOptionsReader.Read(
            OptionValues.Parse(["--service=mysql"], name => environment.GetValueOrDefault(name))
        );
        Assert.Equal(data["target"], options.StorageTarget);
        Assert.Null(StorageTarget.Check(options.StorageTarget));
        Assert.Equal(data["s3-region"], options.S3Region);
        Assert.Null(options.S3Endpoint);
        Assert.Equal(data["schedule"], options.BackupSchedule?.Text);
        Assert.Equal(data["schedule-time-zone"], options.BackupSchedule?.Zone.Id);
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task The_prune_job_runs_the_agents_image_daily_with_the_keep_rules_of_the_ConfigMap(
        string render
    )
    {
        var set = manifests.StatefulSet(render);
        var job = Assert.Single(manifests.Objects(render).OfType<V1CronJob>());
        var prune = Assert.Single(job.Spec.JobTemplate.Spec.Template.Spec.Containers);
        var data = BackupsConfig(render).Data;

        Assert.Equal("Forbid", job.Spec.ConcurrencyPolicy);
        Assert.Equal(RenderedManifests.Container(set, "agent").Image, prune.Image);
        Assert.Equal("prune", prune.Args[0]);
        var environment = Resolve(prune, data);
        Assert.Equal(data["keep-backups"], environment["MYSQL_AGENT_KEEP_BACKUPS"]);
        Assert.Equal(data["keep-days"], environment["MYSQL_AGENT_KEEP_DAYS"]);

        using var stderr = new StringWriter();
        var code = await AgentCommandLine.RunAsync(
            [.. prune.Args, "--dry-run"],
            TextWriter.Null,
            stderr,
            name => environment.GetValueOrDefault(name),
            default
        );
        Assert.True(code == ExitCodes.Success, stderr.ToString());
    }

    private V1ConfigMap BackupsConfig(string render) =>
        Assert.Single(
            manifests.Objects(render).OfType<V1ConfigMap>(),
            c => c.Metadata.Name.StartsWith("mysql-backups", StringComparison.Ordinal)
        );

    /// <summary>The container's variables with every ConfigMap reference resolved; a missing key fails the test.</summary>
    private static Dictionary<string, string> Resolve(
        V1Container container,
        IDictionary<string, string> data
    )
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            if (variable.Value is { } value)
            {
                environment[variable.Name] = value;
            }
            else if (variable.ValueFrom?.ConfigMapKeyRef is { } reference)
            {
                Assert.True(
                    data.ContainsKey(reference.Key),
                    $"{variable.Name} reads key {reference.Key}, which mysql-backups lacks"
                );
                environment[variable.Name] = data[reference.Key];
            }
        }

        return environment;
    }

    private static bool OptionalSecret(V1Container container, string name) =>
        container.Env.Single(e => e.Name == name).ValueFrom.SecretKeyRef
            is { Name: "mysql-backup-storage", Optional: true };
}
