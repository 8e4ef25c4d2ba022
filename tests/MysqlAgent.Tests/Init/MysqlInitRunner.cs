using System.Text;
using CliWrap;

namespace MysqlAgent.Tests.Init;

/// <summary>Runs the published binary with a clean environment: only the variables a test gives.</summary>
public sealed class MysqlInitRunner(MysqlInitBinaryFixture binary)
{
    /// <summary>Cleared for every run, so the test machine's own HOSTNAME never leaks in.</summary>
    private static readonly string[] OwnVariables =
    [
        "HOSTNAME",
        "MYSQL_INIT_CONFIG_MAP_DIR",
        "MYSQL_INIT_CONF_DIR",
        "MYSQL_INIT_SERVER_ID_OFFSET",
        "MYSQL_INIT_SERVICE",
    ];

    public async Task<MysqlInitResult> RunAsync(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null
    )
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in OwnVariables)
        {
            variables[name] = null;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await Cli.Wrap(binary.BinaryPath)
            .WithArguments(arguments)
            .WithEnvironmentVariables(variables)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(timeout.Token);

        return new MysqlInitResult(result.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
