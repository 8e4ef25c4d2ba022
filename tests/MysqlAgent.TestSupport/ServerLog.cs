namespace MysqlAgent.TestSupport;

/// <summary>
/// Where a child's stdout and stderr go: appended to a file that survives restarts, with the last
/// lines kept in memory for error messages. Draining both pipes keeps the child from blocking.
/// </summary>
internal sealed class ServerLog : IDisposable
{
    private const int KeptLines = 40;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lastLines = new();
    private readonly StreamWriter _file;

    public ServerLog(string path)
    {
        Path = path;
        _file = new StreamWriter(
            new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)
        )
        {
            AutoFlush = true,
        };
    }

    public string Path { get; }

    public void Write(string line)
    {
        lock (_gate)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
            try
            {
                _file.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A late line after dispose still reaches the in-memory tail.
            }
        }
    }

    public string Tail()
    {
        lock (_gate)
        {
            return _lastLines.Count == 0
                ? $"(nothing logged; see {Path})"
                : string.Join(Environment.NewLine, _lastLines);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }
}
