using MysqlAgent.Commands;
using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

/// <summary><c>mysql-agent pause</c> / <c>resume</c>: the Lease's paused annotation, written by compare-and-swap.</summary>
public sealed class FailoverPauseTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    private static readonly LeaseRecord Held = new(
        "mysql-1",
        3,
        At,
        [new TermStart(3, "mysql-1", "0-101-40")],
        null,
        false
    );

    private readonly InMemoryLeaseStore _store = new();

    private async Task<LeaseRecord> Stored() =>
        (await _store.GetAsync(CancellationToken.None)).Lease!.Record;

    [Fact]
    public async Task Pause_sets_the_flag_and_nothing_else_a_second_pause_changes_nothing_and_resume_clears_it()
    {
        await _store.CreateAsync(Held, CancellationToken.None);
        var pause = new FailoverPause(_store, TimeProvider.System);

        var (paused, changed) = await pause.SetAsync(true, CancellationToken.None);
        Assert.True(changed);
        Assert.Equal(Held with { Paused = true }, paused);
        Assert.Equal(Held with { Paused = true }, await Stored());

        Assert.False((await pause.SetAsync(true, CancellationToken.None)).Changed);

        var (resumed, again) = await pause.SetAsync(false, CancellationToken.None);
        Assert.True(again);
        Assert.Equal(Held, resumed);
        Assert.Equal(Held, await Stored());
    }

    [Fact]
    public async Task A_renewal_that_wins_the_race_is_kept_and_the_pause_written_on_top_of_it()
    {
        await _store.CreateAsync(Held, CancellationToken.None);
        var renewing = new RenewingStore(_store, renewals: 3);

        var (paused, changed) = await new FailoverPause(renewing, TimeProvider.System).SetAsync(
            true,
            CancellationToken.None
        );

        Assert.True(changed);
        Assert.Equal(3, renewing.Renewals);
        var stored = await Stored();
        Assert.True(stored.Paused);
        Assert.Equal(At.AddSeconds(6), stored.RenewedAt);
        Assert.Equal(stored, paused);
    }

    [Fact]
    public async Task A_pause_that_always_loses_to_renewals_fails_saying_to_run_it_again()
    {
        await _store.CreateAsync(Held, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PauseException>(() =>
            new FailoverPause(
                new RenewingStore(_store, renewals: 100),
                TimeProvider.System
            ).SetAsync(true, CancellationToken.None)
        );

        Assert.Contains("run the command again", error.Message, StringComparison.Ordinal);
        Assert.False((await Stored()).Paused);
    }

    [Fact]
    public async Task Without_a_Lease_or_a_store_that_answers_it_fails_with_one_line_naming_the_cause()
    {
        var none = await Assert.ThrowsAsync<PauseException>(() =>
            new FailoverPause(_store, TimeProvider.System).SetAsync(true, CancellationToken.None)
        );
        Assert.Contains("there is no Lease yet", none.Message, StringComparison.Ordinal);

        await _store.CreateAsync(Held, CancellationToken.None);
        var down = await Assert.ThrowsAsync<PauseException>(() =>
            new FailoverPause(
                new CuttableStore(_store) { Cut = true },
                TimeProvider.System
            ).SetAsync(true, CancellationToken.None)
        );
        Assert.Contains("cannot read the Lease", down.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', down.Message);
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    public async Task Without_a_lease_store_the_command_is_refused_with_the_usage_exit_code(
        string command
    )
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await AgentCommandLine.RunAsync(
            [command, "--hostname", "mysql-1"],
            stdout,
            stderr,
            _ => null,
            CancellationToken.None
        );

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(
            $"mysql-agent {command}: error: {command} needs the set's --lease-store",
            stderr.ToString(),
            StringComparison.Ordinal
        );
    }
}
