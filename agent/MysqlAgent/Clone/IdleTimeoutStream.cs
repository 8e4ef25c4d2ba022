using MysqlAgent.Configuration;
using Polly;
using Polly.Timeout;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>
/// The donor's body, read with a timeout per read: a donor that vanished without a reset (a
/// half-open connection) fails the attempt instead of holding it until the deadline.
/// </summary>
public sealed class IdleTimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly ResiliencePipeline _timeout;
    private readonly TimeSpan _idle;
    private readonly Endpoint _donor;

    public IdleTimeoutStream(Stream inner, TimeSpan idle, TimeProvider timeProvider, Endpoint donor)
    {
        _inner = inner;
        _idle = idle;
        _donor = donor;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(idle)
            .Build();
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(
        Memory<byte> buffer,
        CancellationToken cancellationToken = default
    )
    {
        try
        {
            return await _timeout
                .ExecuteAsync(
                    static (state, ct) => state.Inner.ReadAsync(state.Buffer, ct),
                    (Inner: _inner, Buffer: buffer),
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new DonorUnavailableException(
                $"donor {_donor} sent nothing for {_idle.TotalSeconds:0}s: connection presumed dead",
                _donor,
                e
            );
        }
    }

    public override Task<int> ReadAsync(
        byte[] buffer,
        int offset,
        int count,
        CancellationToken cancellationToken
    ) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
