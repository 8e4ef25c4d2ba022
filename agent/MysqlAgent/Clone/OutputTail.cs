using CliWrap;

namespace MysqlAgent.Clone;

/// <summary>
/// Drains a child's output (a pipe left undrained can break the child) and keeps its last lines
/// for the error message.
/// </summary>
public sealed class OutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;
    private readonly Lock _lock = new();

    public OutputTail(int capacity = 8) => _capacity = capacity;

    public PipeTarget Target => PipeTarget.ToDelegate(Add);

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_lock)
        {
            if (_lines.Count == _capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line.Trim());
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return _lines.Count == 0 ? "no output" : string.Join(" | ", _lines);
        }
    }
}
