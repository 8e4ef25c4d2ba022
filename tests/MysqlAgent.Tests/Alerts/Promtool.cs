using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace MysqlAgent.Tests.Alerts;

/// <summary>Runs Prometheus's promtool (Debian's prometheus package). Missing, it fails: CI installs it.</summary>
internal static class Promtool
{
    public const string InstallHint =
        "promtool is not on PATH: apt-get install prometheus (./dev prerequisites installs it)";

    /// <returns>The exit code and promtool's whole output, stdout then stderr.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string workingDirectory,
        params string[] arguments
    )
    {
        try
        {
            var result = await Cli.Wrap("promtool")
                .WithArguments(arguments)
                .WithWorkingDirectory(workingDirectory)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync();
            return (result.ExitCode, result.StandardOutput + result.StandardError);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(InstallHint, e);
        }
    }
}
