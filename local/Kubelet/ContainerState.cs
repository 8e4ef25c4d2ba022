using MysqlLocal.State;

namespace MysqlLocal.Kubelet;

/// <summary>The live state of one container, updated by its runner and read for <c>pod.json</c>.</summary>
public sealed class ContainerState(string name)
{
    private readonly Lock _lock = new();
    private string _state = "waiting";
    private int? _pid;
    private int _restarts;
    private int? _lastExitCode;
    private DateTimeOffset? _startedAt;

    public string Name { get; } = name;

    public void Started(int pid, DateTimeOffset at)
    {
        lock (_lock)
        {
            _state = "running";
            _pid = pid;
            _startedAt = at;
        }
    }

    public void Exited(int exitCode, bool completed)
    {
        lock (_lock)
        {
            _state = completed ? "completed" : "terminated";
            _pid = null;
            _lastExitCode = exitCode;
        }
    }

    public void Restarting()
    {
        lock (_lock)
        {
            _restarts++;
            _state = "waiting";
        }
    }

    public ContainerRecord ToRecord()
    {
        lock (_lock)
        {
            return new ContainerRecord
            {
                Name = Name,
                State = _state,
                Pid = _pid,
                Restarts = _restarts,
                LastExitCode = _lastExitCode,
                StartedAt = _startedAt,
            };
        }
    }
}
