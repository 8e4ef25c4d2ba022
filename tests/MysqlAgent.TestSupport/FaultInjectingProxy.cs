using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MysqlAgent.TestSupport;

/// <summary>
/// A TCP relay on 127.0.0.1 between a client and an upstream HTTP port that can cut the answer:
/// each offset queued with <see cref="CutNextConnectionsAfter"/> ends the next stream (a connection
/// whose answer is a 200; client and upstream both closed) after that many bytes came back from
/// upstream. Other answers and streams without a queued cut pass through;
/// <see cref="DownstreamBytes"/> records how much each connection carried.
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

            _relays.Add(RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
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
        var up = CopyAsync(clientStream, upstreamStream, default, null, both.Token);
        var down = RelayAnswerAsync(upstreamStream, clientStream, both.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        if (first != down)
        {
            // The client finished sending its request: keep relaying the answer.
            upstream.Client.Shutdown(SocketShutdown.Send);
        }

        var (carried, cutAfter) = await down.ConfigureAwait(false);
        await both.CancelAsync().ConfigureAwait(false);
        DownstreamBytes.Enqueue(carried);
        if (cutAfter is { } limit && (limit < 0 || carried >= limit))
        {
            Interlocked.Increment(ref _cutCount);
        }
    }

    /// <summary>
    /// Relays the answer, cutting it as the next queued cut says if it is a stream (200). Any other
    /// answer (a 429 from a donor still busy with the stream just cut) passes whole and takes no cut,
    /// and its connection is closed once quiet, so that the next request, which may be a stream,
    /// comes on a new connection and meets the next cut.
    /// </summary>
    private async Task<(long Carried, long? Cut)> RelayAnswerAsync(
        Stream from,
        Stream to,
        CancellationToken ct
    )
    {
        var head = new byte[64 * 1024];
        var length = 0;
        try
        {
            while (length < StreamStatus.Length)
            {
                var read = await from.ReadAsync(head.AsMemory(length), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (Exception e)
            when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return (0, null);
        }

        var prefix = head.AsMemory(0, length);
        if (length < StreamStatus.Length || !prefix.Span.StartsWith(StreamStatus))
        {
            return (
                await CopyWithholdingTailAsync(from, to, prefix, 0, ct).ConfigureAwait(false),
                null
            );
        }

        long? cut = _cuts.TryDequeue(out var next) ? next : null;
        var carried =
            cut < 0
                ? await CopyWithholdingTailAsync(from, to, prefix, (int)-cut.Value, ct)
                    .ConfigureAwait(false)
                : await CopyAsync(from, to, prefix, cut, ct).ConfigureAwait(false);
        return (carried, cut);
    }

    private static ReadOnlySpan<byte> StreamStatus => "HTTP/1.1 200"u8;

    private static async Task<long> CopyAsync(
        Stream from,
        Stream to,
        ReadOnlyMemory<byte> prefix,
        long? limit,
        CancellationToken ct
    )
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            if (!prefix.IsEmpty)
            {
                var first = limit is { } l0 ? prefix[..(int)Math.Min(prefix.Length, l0)] : prefix;
                await to.WriteAsync(first, ct).ConfigureAwait(false);
                total += first.Length;
            }

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
        ReadOnlyMemory<byte> prefix,
        int tail,
        CancellationToken ct
    )
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>(prefix.ToArray());
        long total = 0;
        try
        {
            while (true)
            {
                if (pending.Count > tail)
                {
                    var forward = pending.Count - tail;
                    await to.WriteAsync(pending.GetRange(0, forward).ToArray(), ct)
                        .ConfigureAwait(false);
                    pending.RemoveRange(0, forward);
                    total += forward;
                }

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
