using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

/// <summary>
/// What the elector relies on from every store. Each store gets a derived class; a store that
/// passes here can carry the election.
/// </summary>
public abstract class LeaseStoreContract
{
    protected static readonly LeaseRecord First = new(
        "mysql-0",
        1,
        new DateTimeOffset(2026, 11, 30, 10, 0, 0, 250, TimeSpan.Zero),
        [new TermStart(1, "mysql-0", "0-100-7")],
        null,
        false
    );

    /// <summary>A client of the store under test; every call gives another client of the same Lease.</summary>
    protected abstract ILeaseStore NewClient();

    [Fact]
    public async Task A_store_without_a_Lease_answers_not_found()
    {
        var result = await NewClient().GetAsync(CancellationToken.None);

        Assert.Equal(LeaseOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task A_created_record_reads_back_whole_with_its_version_from_another_client()
    {
        var record = First with
        {
            History =
            [
                new TermStart(1, "mysql-0", "0-100-7"),
                new TermStart(2, "mysql-1", "0-101-9"),
            ],
            Term = 2,
            Holder = "mysql-1",
            Switchover = new SwitchoverRequest("mysql-2", 2),
            Paused = true,
            Position = new RecordedPosition("mariadb", "0-101-12,1-101-3"),
        };

        var created = await NewClient().CreateAsync(record, CancellationToken.None);
        var read = await NewClient().GetAsync(CancellationToken.None);

        Assert.Equal(LeaseOutcome.Ok, created.Outcome);
        Assert.Equal(LeaseOutcome.Ok, read.Outcome);
        Assert.Equal(record, read.Lease!.Record);
        Assert.Equal(created.Lease!.Version, read.Lease.Version);
    }

    [Fact]
    public async Task Creating_a_Lease_that_exists_is_a_conflict_and_keeps_the_first()
    {
        var store = NewClient();
        await store.CreateAsync(First, CancellationToken.None);

        var second = await NewClient()
            .CreateAsync(First with { Holder = "mysql-1" }, CancellationToken.None);

        Assert.Equal(LeaseOutcome.Conflict, second.Outcome);
        Assert.Equal(
            "mysql-0",
            (await store.GetAsync(CancellationToken.None)).Lease!.Record.Holder
        );
    }

    [Fact]
    public async Task Replace_with_the_current_version_writes_and_gives_a_new_version()
    {
        var store = NewClient();
        var created = (await store.CreateAsync(First, CancellationToken.None)).Lease!;
        var renewed = First with { RenewedAt = First.RenewedAt.AddSeconds(2) };

        var replaced = await store.ReplaceAsync(renewed, created.Version, CancellationToken.None);

        Assert.Equal(LeaseOutcome.Ok, replaced.Outcome);
        Assert.NotEqual(created.Version, replaced.Lease!.Version);
        var read = (await NewClient().GetAsync(CancellationToken.None)).Lease!;
        Assert.Equal(renewed, read.Record);
        Assert.Equal(replaced.Lease.Version, read.Version);
    }

    [Fact]
    public async Task Replace_with_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        var store = NewClient();
        var created = (await store.CreateAsync(First, CancellationToken.None)).Lease!;
        var taken = First with { Holder = "mysql-1", Term = 2 };
        var current = (
            await store.ReplaceAsync(taken, created.Version, CancellationToken.None)
        ).Lease!;

        var stale = await NewClient()
            .ReplaceAsync(
                First with
                {
                    Holder = "mysql-2",
                    Term = 2,
                },
                created.Version,
                CancellationToken.None
            );

        Assert.Equal(LeaseOutcome.Conflict, stale.Outcome);
        var read = (await store.GetAsync(CancellationToken.None)).Lease!;
        Assert.Equal(current, read);
    }

    [Fact]
    public async Task Replace_of_a_Lease_that_does_not_exist_is_a_conflict()
    {
        var result = await NewClient().ReplaceAsync(First, "1", CancellationToken.None);

        Assert.Equal(LeaseOutcome.Conflict, result.Outcome);
    }

    [Fact]
    public async Task Of_many_clients_replacing_from_the_same_version_exactly_one_wins()
    {
        var created = (await NewClient().CreateAsync(First, CancellationToken.None)).Lease!;
        var contenders = Enumerable
            .Range(1, 6)
            .Select(i => (Name: $"mysql-{i}", Store: NewClient()))
            .ToArray();

        var results = await Task.WhenAll(
            contenders.Select(c =>
                Task.Run(() =>
                    c.Store.ReplaceAsync(
                        First with
                        {
                            Holder = c.Name,
                            Term = 2,
                        },
                        created.Version,
                        CancellationToken.None
                    )
                )
            )
        );

        var winners = results.Where(r => r.Outcome == LeaseOutcome.Ok).ToArray();
        Assert.Single(winners);
        Assert.All(
            results.Where(r => r.Outcome != LeaseOutcome.Ok),
            r => Assert.Equal(LeaseOutcome.Conflict, r.Outcome)
        );
        var read = (await NewClient().GetAsync(CancellationToken.None)).Lease!;
        Assert.Equal(winners[0].Lease, read);
    }

    [Fact]
    public async Task An_empty_holder_and_no_annotations_read_back_as_written()
    {
        var released = First with { Holder = "", History = [], Term = 4 };

        var created = await NewClient().CreateAsync(released, CancellationToken.None);
        var got = await NewClient().GetAsync(CancellationToken.None);

        Assert.True(created.Outcome == LeaseOutcome.Ok, created.ToString());
        Assert.True(got.Outcome == LeaseOutcome.Ok, got.ToString());
        var read = got.Lease!.Record;
        Assert.Equal(released, read);
        Assert.False(read.IsHeld);
    }
}
