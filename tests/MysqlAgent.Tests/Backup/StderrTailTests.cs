using MysqlAgent.Backup;

namespace MysqlAgent.Tests.Backup;

public sealed class StderrTailTests
{
    [Fact]
    public void Only_the_last_lines_are_kept_oldest_first()
    {
        var tail = new StderrTail(capacity: 3);
        foreach (var i in Enumerable.Range(1, 5))
        {
            tail.Add($"line {i}");
        }

        Assert.Equal(["line 3", "line 4", "line 5"], tail.Last());
        Assert.Equal(["line 4", "line 5"], tail.Last(2));
        Assert.Equal(["line 3", "line 4", "line 5"], tail.Last(10));
    }

    [Fact]
    public void A_huge_line_is_shortened()
    {
        var tail = new StderrTail();
        tail.Add(new string('x', 100_000));

        Assert.True(tail.Last()[0].Length < 1100);
    }
}
