using System.Diagnostics;
using System.Net.Sockets;
using MySqlConnector;

namespace MysqlAgent.TestSupport;

/// <summary>
/// The one way tests wait: ask a condition again and again until it holds or a deadline passes, then
/// fail with what was awaited, for how long and the last answer or error. No test sleeps to let
/// something happen; it waits for the state that shows it happened.
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait lasts unless the caller says otherwise: generous, for a loaded CI machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);

    /// <summary>Waits until <paramref name="condition"/> answers true.</summary>
    /// <param name="what">What is awaited, as the failure message's end: "mysql-1 is ready".</param>
    /// <param name="diagnostics">Optional text appended to the failure (a log tail, a status body).</param>
    public static async Task UntilAsync(
        Func<Task<bool>> condition,
        string what,
        TimeSpan? timeout = null,
        Func<Task<string>>? diagnostics = null,
        CancellationToken cancellationToken = default
    )
    {
        await ValueAsync(
                async () => await condition().ConfigureAwait(false),
                held => held,
                what,
                timeout,
                diagnostics,
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>Waits until the synchronous <paramref name="condition"/> answers true.</summary>
    public static Task UntilAsync(
        Func<bool> condition,
        string what,
        TimeSpan? timeout = null,
        Func<Task<string>>? diagnostics = null,
        CancellationToken cancellationToken = default
    ) =>
        UntilAsync(
            () => Task.FromResult(condition()),
            what,
            timeout,
            diagnostics,
            cancellationToken
        );

    /// <summary>
    /// Asks <paramref name="probe"/> until <paramref name="accept"/> takes its answer, and returns that
    /// answer. Transient errors (a server or agent restarting, a port not open yet) count as "not yet";
    /// any other exception fails the wait at once, since it is a bug, not a state.
    /// </summary>
    public static async Task<T> ValueAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> accept,
        string what,
        TimeSpan? timeout = null,
        Func<Task<string>>? diagnostics = null,
        CancellationToken cancellationToken = default
    )
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        var attempts = 0;
        string last = "no answer yet";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            attempts++;
            try
            {
                var answer = await probe().ConfigureAwait(false);
                if (accept(answer))
                {
                    return answer;
                }

                last = $"last answer: {Describe(answer)}";
            }
            catch (Exception e) when (IsTransient(e))
            {
                last = $"last error: {e.GetType().Name}: {FirstLine(e.Message)}";
            }

            if (clock.Elapsed >= limit)
            {
                var extra = diagnostics is null
                    ? ""
                    : "\n" + await diagnostics().ConfigureAwait(false);
                throw new TimeoutException(
                    $"timed out after {clock.Elapsed.TotalSeconds:0.0} s ({attempts} checks) waiting until {what}; {last}{extra}"
                );
            }

            // The one pause between checks in the tests; everything else waits through here.
#pragma warning disable RS0030 // Banned API: this is the helper the ban points to.
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
#pragma warning restore RS0030
            pause = Next(pause);
        }
    }

    /// <summary>
    /// The blocking form, for cleanup that cannot await (process-exit handlers, Dispose): asks
    /// <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; false then.
    /// Best effort, so it does not throw.
    /// </summary>
    public static bool TryUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        while (!condition())
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }

#pragma warning disable RS0030 // Banned API: this is the helper the ban points to.
            Thread.Sleep(pause);
#pragma warning restore RS0030
            pause = Next(pause);
        }

        return true;
    }

    private static TimeSpan Next(TimeSpan pause) =>
        TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));

    /// <summary>Errors that mean "the thing is not there yet", not "the test is wrong".</summary>
    public static bool IsTransient(Exception e) =>
        e
            is MySqlException
                or SocketException
                or IOException
                or HttpRequestException
                or TaskCanceledException { CancellationToken.IsCancellationRequested: false }
                // HttpClient.Timeout: a loaded agent slow to answer one request, not a wrong test.
                or TaskCanceledException { InnerException: TimeoutException }
                or TimeoutException;

    private static string Describe<T>(T answer) =>
        answer switch
        {
            null => "null",
            string s => $"'{FirstLine(s)}'",
            _ => FirstLine(answer.ToString() ?? ""),
        };

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var line = end < 0 ? text : text[..end];
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
