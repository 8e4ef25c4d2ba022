using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>The two Dockerfiles, read without a container engine (there is none on these machines).</summary>
public sealed class DockerfileTests(RenderedManifests manifests) : IClassFixture<RenderedManifests>
{
    public static readonly TheoryData<string, string> DockerfileAndUser = new()
    {
        { "Dockerfile.init", "10000" },
        { "Dockerfile.agent", "999" },
    };

    public static readonly TheoryData<string> Dockerfiles = new(
        "Dockerfile.init",
        "Dockerfile.agent"
    );

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_base_image_is_a_build_argument_with_a_default(string name)
    {
        var dockerfile = Dockerfile.Load(name);
        var stageNames = dockerfile.Stages.Select(s => s.Name).OfType<string>().ToHashSet();

        Assert.Equal(
            "mcr.microsoft.com/dotnet/sdk:10.0",
            dockerfile.GlobalArgs.GetValueOrDefault("SDK_IMAGE")
        );
        foreach (var stage in dockerfile.Stages)
        {
            var whole = Dockerfile.Variable().Match(stage.Image);
            if (whole.Success && whole.Value == stage.Image)
            {
                Assert.False(
                    string.IsNullOrEmpty(
                        dockerfile.GlobalArgs.GetValueOrDefault(whole.Groups["name"].Value)
                    ),
                    $"{name}: FROM {stage.Image} has no default"
                );
            }
            else
            {
                Assert.True(
                    stageNames.Contains(dockerfile.Expand(stage.Image)),
                    $"{name}: FROM {stage.Image} is neither an ARG nor an earlier stage"
                );
            }
        }
    }

    [Theory]
    [MemberData(nameof(DockerfileAndUser))]
    public void The_final_stage_runs_as_a_non_root_user(string name, string user)
    {
        var final = Dockerfile.Load(name).Final;

        Assert.Equal(user, final.User);
        Assert.NotEqual("0", final.User?.Split(':')[0]);
        Assert.NotEqual("root", final.User?.Split(':')[0]);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void The_entrypoint_is_the_binary_copied_from_the_build_stages_publish_output(
        string name
    )
    {
        var dockerfile = Dockerfile.Load(name);
        var publish = DockerBuild.PublishCommand(dockerfile);
        var entrypoint = dockerfile.Final.Entrypoint;
        var copy = DockerBuild.CopyFromBuild(dockerfile);

        Assert.NotNull(entrypoint);
        Assert.Single(entrypoint);
        Assert.Equal(entrypoint[0], copy.Destination);
        Assert.Contains(" -o /out", publish, StringComparison.Ordinal);
        Assert.StartsWith("/out/", copy.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_init_image_is_the_Native_AOT_mysql_init_on_a_chiseled_base()
    {
        var dockerfile = Dockerfile.Load("Dockerfile.init");

        Assert.Equal(
            "dotnet publish init/MysqlInit.csproj -c Release -r linux-x64 -o /out",
            DockerBuild.PublishCommand(dockerfile)
        );
        Assert.Equal(
            "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled",
            dockerfile.Expand(dockerfile.Final.Image)
        );
        // Native AOT links with the platform toolchain, which the SDK image lacks.
        Assert.Contains(
            dockerfile.Stage("build").All("RUN"),
            r => r.Arguments.Contains("zlib1g-dev", StringComparison.Ordinal)
        );
        Assert.Equal(["/mysql-init"], dockerfile.Final.Entrypoint ?? []);
    }

    [Fact]
    public void The_agent_image_is_one_file_on_the_backup_tools_own_image()
    {
        var dockerfile = Dockerfile.Load("Dockerfile.agent");

        Assert.Equal(
            "dotnet publish agent/MysqlAgent/MysqlAgent.csproj -c Release -r linux-x64 --self-contained -p:PublishAot=false -p:PublishSingleFile=true -o /out",
            DockerBuild.PublishCommand(dockerfile)
        );
        Assert.Equal(["/usr/local/bin/mysql-agent"], dockerfile.Final.Entrypoint ?? []);
        Assert.Equal(
            "percona/percona-xtrabackup:8.4",
            dockerfile.Expand(dockerfile.FinalBaseStage(Tool("xtrabackup")).Image)
        );
        Assert.Equal(
            "mariadb:11.4",
            dockerfile.Expand(dockerfile.FinalBaseStage(Tool("mariabackup")).Image)
        );
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void The_agent_image_an_overlay_names_can_be_built_and_knows_its_backup_tool(
        string overlay
    )
    {
        var dockerfile = Dockerfile.Load("Dockerfile.agent");
        var image = RenderedManifests.Container(manifests.StatefulSet(overlay), "agent").Image;
        var tool = image[(image.LastIndexOf('-') + 1)..];
        var env = Assert.Single(dockerfile.Final.All("ENV")).Arguments.Split('=', 2);

        // The tag's suffix is the BACKUP_TOOL build argument, which names a stage to build on.
        Assert.NotNull(dockerfile.FinalBaseStage(Tool(tool)));
        Assert.Contains(dockerfile.Final.All("ARG"), a => a.Arguments == "BACKUP_TOOL");
        Assert.Equal("MYSQL_AGENT_BACKUP_TOOL", env[0]);
        Assert.Contains(OptionCatalog.All, o => o.EnvironmentName == env[0]);
        Assert.Equal("${BACKUP_TOOL}", env[1]);

        var options = AgentOptionsReader.Read(
            OptionValues.Parse(
                [],
                name =>
                    name switch
                    {
                        "HOSTNAME" => "mysql-1",
                        "MYSQL_AGENT_BACKUP_TOOL" => dockerfile.Expand(env[1], Tool(tool)),
                        _ => null,
                    }
            )
        );
        Assert.Equal(
            overlay == RenderedManifests.Mysql84
                ? BackupToolKind.XtraBackup
                : BackupToolKind.MariaBackup,
            options.BackupTool
        );
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.OverlayNames), MemberType = typeof(RenderedManifests))]
    public void The_walkthrough_builds_each_image_an_overlay_names_with_one_command(string overlay)
    {
        var set = manifests.StatefulSet(overlay);
        var init = RenderedManifests.Container(set, "init").Image;
        var agent = RenderedManifests.Container(set, "agent").Image;
        var tool = agent[(agent.LastIndexOf('-') + 1)..];

        Assert.Contains(
            $"docker build -f Dockerfile.init -t {init} .\n",
            SecretKeys.Walkthrough,
            StringComparison.Ordinal
        );
        Assert.Contains(
            $"docker build -f Dockerfile.agent --build-arg BACKUP_TOOL={tool} -t {agent} .\n",
            SecretKeys.Walkthrough,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void The_build_context_leaves_out_local_build_outputs()
    {
        var ignored = File.ReadAllLines(Repository.Of(".dockerignore"));

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }

    private static Dictionary<string, string> Tool(string tool) => new() { ["BACKUP_TOOL"] = tool };
}
