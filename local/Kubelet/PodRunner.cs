using System.Net;
using MysqlLocal.Failover;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlLocal.Kubelet;

/// <summary>
/// One pod's life: init containers in order, each until it succeeds, then mysql and agent side by
/// side, restarted whenever they exit; a readiness probe on the agent's <c>/readyz</c>, as the
/// manifests' mysql container has; <c>pod.json</c> kept current for <c>status</c>.
/// </summary>
public sealed class PodRunner : IAsyncDisposable
{
    private static readonly TimeSpan ProbePeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(60);

    private readonly SetStore _store;
    private readonly PodTemplate _template;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly Action<string> _kubeletLog;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, ContainerLog> _logs = new(StringComparer.Ordinal);
    private readonly List<ContainerState> _containers = [];
    private readonly Lock _lock = new();
    private readonly Lock _writeLock = new();
    private readonly DesiredState _desired;
    private string _phase = "Pending";
    private bool _ready;
    private string? _readyReason;
    private Task _run = Task.CompletedTask;

    public PodRunner(
        SetStore store,
        DesiredState desired,
        int ordinal,
        TimeProvider time,
        HttpClient http,
        Action<string> kubeletLog
    )
    {
        _store = store;
        _desired = desired;
        _template = new PodTemplate(store.Paths, desired, ordinal);
        _time = time;
        _http = http;
        _kubeletLog = kubeletLog;
        Ordinal = ordinal;
        Generation = desired.GenerationOf(_template.Pod.Name);
    }

    public int Ordinal { get; }

    public int Generation { get; }

    public string Name => _template.Pod.Name;

    public bool Ready
    {
        get
        {
            lock (_lock)
            {
                return _ready;
            }
        }
    }

    public void Start()
    {
        _kubeletLog($"{Name}: created (generation {Generation})");
        _run = Task.WhenAll(
            Task.Run(() => RunAsync(_stop.Token)),
            Task.Run(() => RecordAsync(_stop.Token))
        );
    }

    /// <summary>Deletes the pod: SIGTERM to its containers, SIGKILL after the grace period. Its volume stays.</summary>
    public async Task StopAsync()
    {
        SetPhase("Terminating");
        _kubeletLog($"{Name}: terminating");
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _kubeletLog($"{Name}: {e.Message}");
        }

        lock (_lock)
        {
            _ready = false;
        }

        SetPhase("Terminated");
        _kubeletLog($"{Name}: terminated");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (var log in _logs.Values)
        {
            log.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var pod = _template.Pod;
        Directory.CreateDirectory(pod.LogsDir);
        if (_desired.Failover)
        {
            LeaseLinks.EnsureLinked(_store.Paths, pod);
        }

        Directory.CreateDirectory(pod.ConfDir);
        // conf.d is an emptyDir: a new pod starts without the last one's files.
        foreach (var file in Directory.EnumerateFiles(pod.ConfDir))
        {
            File.Delete(file);
        }

        var init = Runner(_template.Init());
        var clone = Runner(_template.Clone());
        var mysqlLog = Log("mysql");
        var entrypoint = new MysqlEntrypoint(
            pod,
            _template.Ports,
            _desired,
            _store.Paths,
            mysqlLog,
            _time
        );
        var mysql = Runner(_template.Mysql(entrypoint));
        var agent = Runner(_template.Agent());
        WriteRecord();

        SetPhase("Init:init");
        if (!await init.RunToCompletionAsync(stop).ConfigureAwait(false))
        {
            return;
        }

        SetPhase("Init:clone");
        if (!await clone.RunToCompletionAsync(stop).ConfigureAwait(false))
        {
            return;
        }

        SetPhase("Running");
        await Task.WhenAll(
                mysql.RunAlwaysAsync(stop),
                agent.RunAlwaysAsync(stop),
                ProbeAsync(entrypoint, stop)
            )
            .ConfigureAwait(false);
    }

    private ContainerRunner Runner(ContainerSpec spec)
    {
        var state = new ContainerState(spec.Name);
        lock (_lock)
        {
            _containers.Add(state);
        }

        return new ContainerRunner(spec, state, Log(spec.Name), _time, GracePeriod);
    }

    private ContainerLog Log(string container)
    {
        lock (_lock)
        {
            if (!_logs.TryGetValue(container, out var log))
            {
                log = new ContainerLog(_template.Pod.Log(container));
                _logs[container] = log;
            }

            return log;
        }
    }

    private async Task ProbeAsync(MysqlEntrypoint entrypoint, CancellationToken stop)
    {
        var url = new Uri($"http://127.0.0.1:{_template.Ports.Http}/readyz");
        using var timer = new PeriodicTimer(ProbePeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                bool ready;
                string reason;
                try
                {
                    using var probe = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    probe.CancelAfter(TimeSpan.FromSeconds(3));
                    // Never ready on another set's answer: a port someone else holds looks like ours.
                    var stranger = await AgentIdentity
                        .CheckAsync(_http, _template.Ports.Http, Name, _desired.SetId, probe.Token)
                        .ConfigureAwait(false);
                    if (stranger is not null)
                    {
                        ready = false;
                        reason = "not ready: " + stranger;
                    }
                    else
                    {
                        using var response = await _http
                            .GetAsync(url, probe.Token)
                            .ConfigureAwait(false);
                        ready = response.StatusCode == HttpStatusCode.OK;
                        reason = (
                            await response
                                .Content.ReadAsStringAsync(probe.Token)
                                .ConfigureAwait(false)
                        ).Trim();
                    }
                }
                catch (Exception e)
                    when (e is HttpRequestException or OperationCanceledException
                        && !stop.IsCancellationRequested
                    )
                {
                    ready = false;
                    reason = "agent not answering: " + e.Message;
                }

                bool changed;
                lock (_lock)
                {
                    changed = ready != _ready;
                    _ready = ready;
                    _readyReason = reason;
                }

                if (changed)
                {
                    // At once, for whoever waits on readiness; the record loop writes the rest.
                    _kubeletLog($"{Name}: {(ready ? "ready" : "not ready")}: {reason}");
                    WriteRecord();
                }

                if (ready)
                {
                    entrypoint.Secured();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Pod stopping.
        }
    }

    /// <summary>Keeps pod.json current (container ids change without a phase change) until the pod stops.</summary>
    private async Task RecordAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                WriteRecord();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Pod stopping.
        }
    }

    private void SetPhase(string phase)
    {
        lock (_lock)
        {
            _phase = phase;
        }

        WriteRecord();
    }

    private void WriteRecord()
    {
        PodRecord record;
        lock (_lock)
        {
            record = new PodRecord
            {
                Name = Name,
                Ordinal = Ordinal,
                Generation = Generation,
                Phase = _phase,
                Ready = _ready,
                ReadyReason = _readyReason,
                Ports = _template.Ports,
                Containers = _containers.Select(c => c.ToRecord()).ToList(),
                UpdatedAt = _time.GetUtcNow(),
            };
        }

        lock (_writeLock)
        {
            try
            {
                _store.WritePod(record);
            }
            catch (IOException e)
            {
                _kubeletLog($"{Name}: cannot write {_template.Pod.RecordFile}: {e.Message}");
            }
        }
    }
}
