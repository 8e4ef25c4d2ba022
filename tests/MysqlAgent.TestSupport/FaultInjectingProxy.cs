using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MysqlAgent.TestSupport;

/// <summary>
/// A TCP relay on 127.0.0.1 between a client and an upstream port that can cut the answer: each
/// offset queued with <see cref="CutNextConnectionsAfter"/> ends one connection (client and upstream
/// both closed) after that many bytes came back from upstream. Connections without a queued offset
/// pass through; <see cref="DownstreamBytes"/> records how much each one carried.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _upstreamPort;
    private readonly ConcurrentQueue<long> _cuts = new();
    private readonly ConcurrentBag<Task> _relays = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private FaultInjectingProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>
    /// Relays to 127.0.0.1:<paramref name="upstreamPort"/> from a free port. The agent routes by the
    /// port a connection arrived on, which for the relayed connection is still <paramref name="upstreamPort"/>.
    /// </summary>
    public static FaultInjectingProxy Start(int upstreamPort) => new(upstreamPort);

    public int Port { get; }

    /// <summary>Bytes relayed from upstream to the client, one entry per finished connection, in finishing order.</summary>
    public ConcurrentQueue<long> DownstreamBytes { get; } = new();

    /// <summary>How many connections were cut on purpose.</summary>
    public int CutCount => _cutCount;

    private int _cutCount;

    /// <summary>
    /// Cuts each of the next connections so that exactly the last <c>tail</c> bytes of the answer
    /// never arrive: the proxy holds back that many bytes and, once upstream has been quiet for
    /// <see cref="QuietPeriod"/> (the answer is over, the connection kept alive), closes both sides.
    /// Queued after (and used after) any <see cref="CutNextConnectionsAfter"/> offsets.
    /// </summary>
    public void CutNextConnectionsBeforeTheEnd(params int[] tails)
    {
        foreach (var tail in tails)
        {
            _cuts.Enqueue(-tail);
        }
    }

    public static TimeSpan QuietPeriod { get; } = TimeSpan.FromSeconds(1);

    public void CutNextConnectionsAfter(params long[] offsets)
    {
        foreach (var offset in offsets)
        {
            _cuts.Enqueue(offset);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e)
                when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _relays.Add(RelayAsync(client, _cuts.TryDequeue(out var cut) ? cut : null));
        }
    }

    private async Task RelayAsync(TcpClient client, long? cutAfter)
    {
        using var downstream = client;
        using var upstream = new TcpClient();
        try
        {
            await upstream
                .ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The client sees its connection closed, as with a peer that went away.
            return;
        }

        using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var clientStream = downstream.GetStream();
        var upstreamStream = upstream.GetStream();
        var up = CopyAsync(clientStream, upstreamStream, null, both.Token);
        var down =
            cutAfter < 0
                ? CopyWithholdingTailAsync(
                    upstreamStream,
                    clientStream,
                    (int)-cutAfter.Value,
                    both.Token
                )
                : CopyAsync(upstreamStream, clientStream, cutAfter, both.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        if (first == down || cutAfter is not null && down.IsCompleted)
        {
            await both.CancelAsync().ConfigureAwait(false);
        }
        else
        {
            // The client finished sending its request: keep relaying the answer.
            upstream.Client.Shutdown(SocketShutdown.Send);
            await down.ConfigureAwait(false);
            await both.CancelAsync().ConfigureAwait(false);
        }

        var carried = await down.ConfigureAwait(false);
        DownstreamBytes.Enqueue(carried);
        if (cutAfter is { } limit && (limit < 0 || carried >= limit))
        {
            Interlocked.Increment(ref _cutCount);
        }
    }

    private static async Task<long> CopyAsync(
        Stream from,
        Stream to,
        long? limit,
        CancellationToken ct
    )
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            while (limit is null || total < limit)
            {
                var want = limit is { } l ? (int)Math.Min(buffer.Length, l - total) : buffer.Length;
                var read = await from.ReadAsync(buffer.AsMemory(0, want), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                total += read;
            }
        }
        catch (Exception e)
            when (e is IOException or OperationCanceledException or ObjectDisposedException) { }

        return total;
    }

    private static async Task<long> CopyWithholdingTailAsync(
        Stream from,
        Stream to,
        int tail,
        CancellationToken ct
    )
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        long total = 0;
        try
        {
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
                quiet.CancelAfter(QuietPeriod);
                int read;
                try
                {
                    read = await from.ReadAsync(buffer, quiet.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                pending.AddRange(buffer.AsSpan(0, read));
                if (pending.Count > tail)
                {
                    var forward = pending.Count - tail;
                    await to.WriteAsync(pending.GetRange(0, forward).ToArray(), ct)
                        .ConfigureAwait(false);
                    pending.RemoveRange(0, forward);
                    total += forward;
                }
            }
        }
        catch (Exception e)
            when (e is IOException or OperationCanceledException or ObjectDisposedException) { }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_relays).ConfigureAwait(false);
        _stop.Dispose();
    }
}
