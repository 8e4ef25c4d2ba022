using CliWrap;
using CliWrap.Buffered;

namespace MysqlAgent.Tests.Manifests;

/// <summary>Both Dockerfiles' build stages, replayed once (in parallel) for the tests below.</summary>
public sealed class DockerPublishFixture : IAsyncLifetime
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("docker-build-").FullName;
    private readonly Dictionary<string, (BufferedCommandResult Result, string Output)> _builds =
        new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var names = new[] { "Dockerfile.init", "Dockerfile.agent" };
        var results = await Task.WhenAll(
            names.Select(name =>
                DockerBuild.PublishAsync(
                    Dockerfile.Load(name),
                    Path.Combine(_scratch, name),
                    timeout.Token
                )
            )
        );
        for (var i = 0; i < names.Length; i++)
        {
            _builds[names[i]] = results[i];
        }
    }

    public (BufferedCommandResult Result, string Output) Build(string dockerfile) =>
        _builds[dockerfile];

    public Task DisposeAsync()
    {
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }
}

[Trait("Category", "Slow")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DockerPublishTests(DockerPublishFixture builds)
    : IClassFixture<DockerPublishFixture>
{
    public static readonly TheoryData<string> Dockerfiles = new(
        "Dockerfile.init",
        "Dockerfile.agent"
    );

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public async Task The_build_stage_publishes_the_executable_the_final_stage_copies(string name)
    {
        var dockerfile = Dockerfile.Load(name);
        var (result, output) = builds.Build(name);
        var (source, _) = DockerBuild.CopyFromBuild(dockerfile);
        var binary = DockerBuild.OutputPath(output, source);

        Assert.True(
            result.ExitCode == 0,
            $"{name}: `{DockerBuild.PublishCommand(dockerfile)}` exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}"
        );
        Assert.True(
            File.Exists(binary),
            $"{name} copies {source}, but the publish wrote only {string.Join(", ", Directory.EnumerateFiles(output).Select(Path.GetFileName))}"
        );
        Assert.True(File.GetUnixFileMode(binary).HasFlag(UnixFileMode.UserExecute));

        // It starts on its own: no runtime, no files beside it.
        var help = await Cli.Wrap(binary)
            .WithArguments(["--help"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.Equal(0, help.ExitCode);
    }
}
