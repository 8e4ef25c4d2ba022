using CliWrap;
using CliWrap.Buffered;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>
/// The build stage of a Dockerfile, replayed without a container engine: a context made of what
/// its COPY instructions take from the repository (less what .dockerignore leaves out), then its
/// <c>dotnet publish</c> command, unchanged but for <c>/out</c>, which becomes a scratch folder.
/// </summary>
internal static class DockerBuild
{
    private const string BuildStage = "build";
    private const string Out = "/out";

    public static string PublishCommand(Dockerfile dockerfile) =>
        dockerfile
            .Stage(BuildStage)
            .All("RUN")
            .Single(r => r.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal))
            .Arguments;

    public static (string Source, string Destination) CopyFromBuild(Dockerfile dockerfile)
    {
        var words = dockerfile
            .Final.All("COPY")
            .Single(c => c.Arguments.StartsWith($"--from={BuildStage} ", StringComparison.Ordinal))
            .Words;
        Assert.Equal(3, words.Length);
        return (words[1], words[2]);
    }

    /// <summary>Publishes as the build stage would; returns the result and the output folder.</summary>
    public static async Task<(BufferedCommandResult Result, string Output)> PublishAsync(
        Dockerfile dockerfile,
        string scratch,
        CancellationToken cancellationToken
    )
    {
        var context = Path.Combine(scratch, "src");
        var output = Path.Combine(scratch, "out");
        var stage = dockerfile.Stage(BuildStage);
        Assert.Equal("/src", stage.WorkDir);
        foreach (var copy in stage.All("COPY"))
        {
            var words = copy.Words;
            var destination = Path.GetFullPath(Path.Combine(context, words[^1]));
            foreach (var source in words[..^1])
            {
                var from = Repository.Of(source);
                if (Directory.Exists(from))
                {
                    CopyFolder(from, destination);
                }
                else
                {
                    Directory.CreateDirectory(destination);
                    File.Copy(from, Path.Combine(destination, Path.GetFileName(from)));
                }
            }
        }

        var command = PublishCommand(dockerfile)
            .Replace($" -o {Out}", $" -o {output}", StringComparison.Ordinal);
        // The test host's MSBuild variables would point the child build at the wrong SDK parts.
        var environment = Environment
            .GetEnvironmentVariables()
            .Keys.OfType<string>()
            .Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, _ => (string?)null);
        var result = await Cli.Wrap("bash")
            .WithArguments(["-c", command])
            .WithWorkingDirectory(context)
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        return (result, output);
    }

    /// <summary>Maps a path of the build stage's publish output to the scratch output folder.</summary>
    public static string OutputPath(string output, string buildStagePath) =>
        Path.Combine(output, Path.GetRelativePath(Out, buildStagePath));

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            // .dockerignore: **/bin/ and **/obj/
            if (Path.GetFileName(folder) is "bin" or "obj")
            {
                continue;
            }

            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
