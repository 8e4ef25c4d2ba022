using System.Net.Sockets;
using MySqlConnector;
using Polly.Timeout;

namespace MysqlAgent.Health;

/// <summary>
/// Tells trouble with the server (it is down, slow, refuses, answers with an error) from bugs in the
/// agent. Server trouble becomes a one-line readiness reason or log line; a bug
/// (<see cref="InvalidOperationException"/>, <see cref="InvalidCastException"/>,
/// <see cref="IndexOutOfRangeException"/>, a null reference...) is logged with its stack trace, never
/// disguised as "mysqld does not answer".
/// </summary>
public static class ServerTrouble
{
    /// <param name="e">What was thrown.</param>
    /// <param name="stopping">The caller's token: a cancellation it asked for is neither.</param>
    public static bool Is(Exception e, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            // Our own time limit, not the caller stopping.
            OperationCanceledException => !stopping.IsCancellationRequested,
            TimeoutRejectedException => true,
            MySqlException => true,
            SocketException or IOException or TimeoutException => true,
            _ => false,
        };
    }

    /// <summary>Server trouble as one log line: a time limit says so, any other error its message on one line.</summary>
    public static string OneLine(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e is OperationCanceledException or TimeoutRejectedException
            ? "no answer in time"
            : e.Message.ReplaceLineEndings(" ");
    }
}
