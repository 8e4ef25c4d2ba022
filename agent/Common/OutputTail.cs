using CliWrap;

namespace MysqlAgent.Common;

/// <summary>
/// Drains a child's output (a pipe left undrained can break the child) and keeps its last lines for
/// an error message, bounded in count and in length, so a gigabyte of output cannot fill memory.
/// One source, compiled into mysql-agent and the benchmark.
/// </summary>
public sealed class OutputTail
{
    public const int MaxLineLength = 1000;

    private readonly Lock _lock = new();
    private readonly Queue<string> _lines;
    private readonly int _capacity;

    public OutputTail(int capacity = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _lines = new Queue<string>(capacity);
    }

    /// <summary>A CliWrap target for stdout or stderr that feeds this tail.</summary>
    public PipeTarget Target => PipeTarget.ToDelegate(Add);

    /// <summary>Keeps a line, cut to <see cref="MaxLineLength"/>; blank lines are dropped.</summary>
    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        line = line.Trim();
        if (line.Length > MaxLineLength)
        {
            line = string.Concat(line.AsSpan(0, MaxLineLength), "...");
        }

        lock (_lock)
        {
            if (_lines.Count == _capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    /// <summary>The last <paramref name="count"/> lines (all kept lines when null), oldest first.</summary>
    public IReadOnlyList<string> Last(int? count = null)
    {
        lock (_lock)
        {
            var all = _lines.ToArray();
            return count is { } n && n < all.Length ? all[^n..] : all;
        }
    }

    /// <summary>The kept lines on one line, for an error message.</summary>
    public override string ToString()
    {
        var lines = Last();
        return lines.Count == 0 ? "no output" : string.Join(" | ", lines);
    }
}
