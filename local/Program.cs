using MysqlLocal.Commands;
using MysqlLocal.State;

// mysql-local: see 'mysql-local --help' (LocalCommandLine), or docs/user/local-set.md.
var time = TimeProvider.System;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var line = LocalCommandLine.Parse(args);
    var output = Console.Out;
    return line.Command switch
    {
        LocalCommandLine.HelpCommand => line.WriteHelp(),
        "up" => await UpCommand.RunAsync(line, time, output, cancel.Token),
        "scale" => await ScaleCommand.RunAsync(line, time, output, cancel.Token),
        "status" => await StatusCommand.RunAsync(line, output, cancel.Token),
        "logs" => await LogsCommand.RunAsync(line, time, output, cancel.Token),
        "delete-pod" => await DeletePodCommand.RunAsync(line, time, output, cancel.Token),
        "down" => await DownCommand.RunAsync(line, time, output, cancel.Token),
        "backup" or "backups" => await BackupCommand.RunAsync(line, output, cancel.Token),
        "restore" => await RestoreCommand.RunAsync(line, time, output, cancel.Token),
        "freeze" or "thaw" => await FreezeCommand.RunAsync(line, output),
        "isolate" or "heal" => await IsolateCommand.RunAsync(line, output),
        "switchover" => await SwitchoverCommand.RunAsync(line, time, output, cancel.Token),
        "pause" or "resume" => await PauseCommand.RunAsync(line, output, cancel.Token),
        "monitor" => await MonitorCommand.RunAsync(line, time, output, cancel.Token),
        KubeletProcess.CommandName => await KubeletCommand.RunAsync(line, time),
        _ => throw new UsageException(
            $"unknown command '{line.Command}': use {LocalCommandLine.CommandList} (see --help)"
        ),
    };
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync("mysql-local: error: " + e.Message);
    return 2;
}
catch (LocalSetException e)
{
    await Console.Error.WriteLineAsync("mysql-local: error: " + e.Message);
    return 3;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync(
        "mysql-local: interrupted; the set keeps running ('down' stops it)"
    );
    return 130;
}
