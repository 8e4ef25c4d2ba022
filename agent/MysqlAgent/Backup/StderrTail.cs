namespace MysqlAgent.Backup;

/// <summary>The last lines a child wrote to stderr, bounded in count and length, for error messages.</summary>
public sealed class StderrTail
{
    public const int DefaultCapacity = 50;
    private const int MaxLineLength = 1000;

    private readonly Lock _lock = new();
    private readonly Queue<string> _lines;
    private readonly int _capacity;

    public StderrTail(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _lines = new Queue<string>(capacity);
    }

    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
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
}
