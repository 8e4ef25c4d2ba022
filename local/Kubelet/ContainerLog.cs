using System.Globalization;

namespace MysqlLocal.Kubelet;

/// <summary>A container's log file: its stdout and stderr, line by line, across restarts (what <c>kubectl logs</c> shows).</summary>
public sealed class ContainerLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public ContainerLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(
            new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)
        )
        {
            AutoFlush = true,
        };
    }

    public void Write(string line)
    {
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }

    /// <summary>A line of the kubelet's own, marked so it is not taken for the program's output.</summary>
    public void Event(TimeProvider time, string what) =>
        Write(
            string.Create(
                CultureInfo.InvariantCulture,
                $"--- kubelet {time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ}: {what}"
            )
        );

    public void Dispose() => _writer.Dispose();
}
