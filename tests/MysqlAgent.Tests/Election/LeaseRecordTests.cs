using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

public sealed class LeaseRecordTests
{
    private static readonly LeaseRecord Empty = new(
        "mysql-0",
        1,
        DateTimeOffset.UnixEpoch,
        [],
        null,
        false
    );

    [Fact]
    public void The_history_keeps_the_last_ten_terms_in_order_and_one_entry_per_term()
    {
        var record = Empty;
        for (var term = 12; term >= 1; term--)
        {
            record = record.WithTermStart(
                new TermStart(term, $"mysql-{term % 3}", $"0-100-{term}")
            );
        }

        record = record.WithTermStart(new TermStart(12, "mysql-0", "0-100-99"));

        Assert.Equal(
            Enumerable.Range(3, 10).Select(t => (long)t),
            record.History.Select(h => h.Term)
        );
        Assert.Equal("0-100-99", record.History[^1].ForkPosition);
    }

    [Fact]
    public void The_fork_point_for_a_rejoining_pod_is_the_start_of_the_first_term_after_its_own()
    {
        var record = Empty
            .WithTermStart(new TermStart(3, "mysql-0", "0-100-5"))
            .WithTermStart(new TermStart(5, "mysql-2", "0-102-9"))
            .WithTermStart(new TermStart(4, "mysql-1", "0-101-7"));

        Assert.Equal("0-101-7", record.FirstTermAfter(3)?.ForkPosition);
        Assert.Null(record.FirstTermAfter(5));
    }

    [Fact]
    public void Annotations_round_trip_and_others_are_ignored()
    {
        var record = Empty with
        {
            History = [new TermStart(1, "mysql-0", "0-100-1")],
            Switchover = new SwitchoverRequest(null, 1),
            Paused = true,
            Position = new RecordedPosition("mysql", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-40"),
        };
        var annotations = LeaseAnnotations.From(record);
        annotations["kubectl.kubernetes.io/last-applied-configuration"] = "{}";

        var (history, switchover, paused, position) = LeaseAnnotations.Read(annotations);

        Assert.Equal(record.History, history);
        Assert.Equal(record.Switchover, switchover);
        Assert.True(paused);
        Assert.Equal(record.Position, position);
        Assert.Equal(
            """{"flavor":"mysql","executed":"3e11fa47-71ca-11e1-9e33-c80aa9429562:1-40"}""",
            annotations[LeaseAnnotations.Position]
        );
        Assert.Empty(LeaseAnnotations.From(Empty));
    }

    [Fact]
    public void A_damaged_annotation_is_an_error_that_names_the_fix()
    {
        var error = Assert.Throws<FormatException>(() =>
            LeaseAnnotations.Read(
                new Dictionary<string, string> { [LeaseAnnotations.History] = "[{" }
            )
        );

        Assert.Contains("kubectl annotate lease", error.Message, StringComparison.Ordinal);
    }
}
