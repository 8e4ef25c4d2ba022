namespace MysqlAgent.Tests.Init;

public sealed record MysqlInitResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string[] ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() =>
        $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}
