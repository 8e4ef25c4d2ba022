using System.Net.Sockets;
using MysqlAgent.Health;
using Polly.Timeout;

namespace MysqlAgent.Tests.Health;

/// <summary>
/// Server trouble becomes a readiness reason; a bug in the agent must not hide behind one
/// ("mysqld does not answer") but be logged with its stack trace.
/// </summary>
public sealed class ServerTroubleTests
{
    public static TheoryData<string, Exception, bool> Cases() =>
        new()
        {
            { "socket", new SocketException((int)SocketError.ConnectionRefused), true },
            { "I/O", new EndOfStreamException(), true },
            { "timeout", new TimeoutException(), true },
            { "Polly timeout", new TimeoutRejectedException(), true },
            { "our own time limit", new OperationCanceledException(), true },
            { "bug: invalid operation", new InvalidOperationException("state"), false },
            { "bug: invalid cast", new InvalidCastException(), false },
            { "bug: missing column", Thrown(() => _ = Array.Empty<int>()[Zero()]), false },
            { "bug: null", Thrown(() => _ = Null()!.Length), false },
        };

    // MySqlException has no public constructor; the integration tests meet real ones.

    private static int Zero() => 0;

    private static string? Null() => null;

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IndexOutOfRangeException or NullReferenceException)
        {
            return e;
        }

        throw new InvalidOperationException("nothing was thrown");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Server_trouble_is_told_from_bugs(string name, Exception e, bool serverTrouble)
    {
        Assert.True(
            ServerTrouble.Is(e, CancellationToken.None) == serverTrouble,
            $"{name}: expected {(serverTrouble ? "server trouble" : "a bug")}"
        );
    }

    [Fact]
    public void A_cancellation_the_caller_asked_for_is_neither()
    {
        using var stopping = new CancellationTokenSource();
        stopping.Cancel();
        Assert.False(ServerTrouble.Is(new OperationCanceledException(), stopping.Token));
    }
}
