using System.Runtime.Versioning;
using CliWrap;
using MysqlAgent.TestSupport;
using MysqlLocal.Failover;
using MysqlLocal.Kubelet;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

/// <summary><c>freeze</c> and <c>thaw</c> on real processes: a container's process and its child.</summary>
[SupportedOSPlatform("linux")]
public sealed class PodFreezerTests : IAsyncLifetime
{
    private readonly SetStore _store = new(
        new SetPaths(Directory.CreateTempSubdirectory("f15b-freezer-").FullName)
    );
    private readonly CancellationTokenSource _stop = new();
    private CommandTask<CommandResult>? _container;

    public Task InitializeAsync()
    {
        var pod = _store.Paths.Pod(0);
        Directory.CreateDirectory(pod.Root);
        // A "container" whose command line names the pod's folder, as mariadbd's and the agent's
        // do, with a child below it, as the agent's backup tool would be.
        _container = Cli.Wrap("sh")
            .WithArguments(["-c", "sleep 600; :", Path.Combine(pod.Root, "container")])
            .WithStandardOutputPipe(PipeTarget.ToStream(Stream.Null))
            .WithStandardErrorPipe(PipeTarget.ToStream(Stream.Null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_stop.Token);
        _store.WritePod(
            new PodRecord
            {
                Name = pod.Name,
                Ordinal = 0,
                Generation = 0,
                Phase = "Running",
                Ready = true,
                Ports = PodPorts.For(PodPorts.DefaultBase, 0),
                Containers =
                [
                    new ContainerRecord
                    {
                        Name = "mysql",
                        State = "running",
                        Pid = _container.ProcessId,
                        Restarts = 0,
                    },
                ],
                UpdatedAt = DateTimeOffset.UnixEpoch,
            }
        );
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Freeze_stops_the_pods_processes_and_their_children_and_thaw_resumes_exactly_them()
    {
        var shell = _container!.ProcessId;
        var child = await Eventually.ValueAsync(
            () => Task.FromResult(Signals.WithDescendants([shell]).Skip(1).FirstOrDefault()),
            pid => pid != 0,
            "the shell started its sleep"
        );

        var frozen = PodFreezer.Freeze(_store, 0);

        Assert.Equal([shell, child], frozen);
        await Eventually.UntilAsync(
            () => Signals.IsStopped(shell) && Signals.IsStopped(child),
            "both processes are stopped"
        );
        Assert.True(PodFreezer.IsFrozen(_store.Paths.Pod(0)));

        var thawed = PodFreezer.Thaw(_store, 0);

        Assert.Equal([shell, child], thawed);
        await Eventually.UntilAsync(
            () => !Signals.IsStopped(shell) && !Signals.IsStopped(child),
            "both processes run again"
        );
        Assert.False(PodFreezer.IsFrozen(_store.Paths.Pod(0)));
    }

    [Fact]
    public void A_pod_with_no_process_cannot_be_frozen()
    {
        _store.WritePod(_store.ReadPod(0)! with { Containers = [] });

        var e = Assert.Throws<LocalSetException>(() => PodFreezer.Freeze(_store, 0));

        Assert.Contains("mysql-0 runs no process to freeze", e.Message, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            foreach (var pid in Signals.WithDescendants([_container.ProcessId]))
            {
                Signals.Continue(pid);
                Signals.KillIfRunning(pid, "sleep 600");
            }

            await _stop.CancelAsync();
            try
            {
                await _container;
            }
            catch (OperationCanceledException)
            {
                // Killed, as meant.
            }
        }

        _stop.Dispose();
        Directory.Delete(_store.Paths.StateDir, recursive: true);
    }
}
