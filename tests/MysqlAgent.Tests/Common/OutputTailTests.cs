using MysqlAgent.Common;

namespace MysqlAgent.Tests.Common;

public sealed class OutputTailTests
{
    [Fact]
    public void Only_the_last_lines_are_kept_oldest_first()
    {
        var tail = new OutputTail(capacity: 3);
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
        var tail = new OutputTail();
        tail.Add(new string('x', 100_000));

        Assert.Equal(OutputTail.MaxLineLength + 3, tail.Last()[0].Length);
    }

    [Fact]
    public void Blank_lines_are_dropped_and_an_empty_tail_says_so()
    {
        var tail = new OutputTail();
        Assert.Equal("no output", tail.ToString());

        tail.Add("  ");
        tail.Add(" error 1 ");
        tail.Add("error 2");

        Assert.Equal("error 1 | error 2", tail.ToString());
    }
}
