using System.Text;
using CliWrap;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Init;

/// <summary>
/// Publishes mysql-init as the Native AOT binary the image ships, once per test run, so the tests
/// exercise trimming and AOT too. MYSQL_INIT_BINARY points at an existing binary instead.
/// </summary>
public sealed class MysqlInitBinaryFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);

    public string BinaryPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var root = Repository.Root;
        var overridden = Environment.GetEnvironmentVariable("MYSQL_INIT_BINARY");
        if (!string.IsNullOrEmpty(overridden))
        {
            // A relative path is taken from the repository root, where a developer runs dotnet test.
            BinaryPath = Path.GetFullPath(overridden, root);
            if (!File.Exists(BinaryPath))
            {
                throw new InvalidOperationException(
                    $"MYSQL_INIT_BINARY={overridden} ({BinaryPath}) does not exist; unset it to publish one"
                );
            }

            return;
        }

        var output = Path.Combine(root, "artifacts", "mysql-init");
        var log = new StringBuilder();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        var result = await Cli.Wrap("dotnet")
            .WithArguments([
                "publish",
                Path.Combine(root, "init", "MysqlInit.csproj"),
                "-c",
                "Release",
                "-r",
                "linux-x64",
                "-o",
                output,
                // Its own bin/ and obj/: the end-to-end tests run init/bin's build output while
                // this publish runs, and an in-tree publish rewrites that folder.
                "--artifacts-path",
                Path.Combine(root, "artifacts", "mysql-init-build"),
                "-nologo",
            ])
            .WithWorkingDirectory(root)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(log))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(log))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(timeout.Token);

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet publish of mysql-init exited {result.ExitCode}:\n{log}"
            );
        }

        BinaryPath = Path.Combine(output, "mysql-init");
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException($"dotnet publish left no {BinaryPath}:\n{log}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
