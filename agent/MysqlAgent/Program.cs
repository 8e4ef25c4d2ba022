using System.Runtime.InteropServices;
using MysqlAgent.Commands;

using var stop = new CancellationTokenSource();

// SIGTERM (kubelet) and Ctrl-C cancel the running command; its cleanup then runs in order.
using var sigterm = PosixSignalRegistration.Create(
    PosixSignal.SIGTERM,
    context =>
    {
        context.Cancel = true;
        stop.Cancel();
    }
);
using var sigint = PosixSignalRegistration.Create(
    PosixSignal.SIGINT,
    context =>
    {
        context.Cancel = true;
        stop.Cancel();
    }
);

return await AgentCommandLine.RunAsync(
    args,
    Console.Out,
    Console.Error,
    Environment.GetEnvironmentVariable,
    stop.Token
);
