using MysqlAgent.Identity;
using MysqlInit.Errors;

namespace MysqlInit;

/// <summary>The command boundary: expected failures become one stderr line and their exit code.</summary>
internal static class InitCommand
{
    private const string ErrorPrefix = "mysql-init: error: ";

    public static int Run(
        IReadOnlyList<string> args,
        Func<string, string?> getEnvironmentVariable,
        TextWriter stdout,
        TextWriter stderr
    )
    {
        try
        {
            var command = OptionsParser.Parse(args, getEnvironmentVariable);
            switch (command.Kind)
            {
                case CommandKind.Help:
                    stdout.Write(HelpText.Build());
                    return ExitCodes.Success;
                case CommandKind.Version:
                    stdout.WriteLine(VersionInfo.Text);
                    return ExitCodes.Success;
            }

            var options = command.Options!;
            var plan = ConfigPlanner.Plan(options);
            if (options.DryRun)
            {
                TargetFolder.EnsureExists(options.ConfDir);
                stdout.Write(Report.DryRun(plan));
                return ExitCodes.Success;
            }

            var results = ConfigWriter.Apply(plan, options.ConfDir);
            stdout.WriteLine(Report.Success(plan, results));
            return ExitCodes.Success;
        }
        catch (InitException e)
        {
            return Fail(stderr, e.Message, e.ExitCode);
        }
        catch (PodIdentityException e)
        {
            return Fail(stderr, e.Message, ExitCodes.BadHostname);
        }
        catch (ServerIdOutOfRangeException e)
        {
            return Fail(stderr, e.Message, ExitCodes.ServerIdOutOfRange);
        }
    }

    private static int Fail(TextWriter stderr, string message, int exitCode)
    {
        stderr.WriteLine(ErrorPrefix + message);
        return exitCode;
    }
}
