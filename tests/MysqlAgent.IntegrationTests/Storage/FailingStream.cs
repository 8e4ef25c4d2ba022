namespace MysqlAgent.IntegrationTests.Storage;

/// <summary>A source that breaks after <c>failAfter</c> bytes, as a backup tool that dies midway does.</summary>
internal sealed class FailingStream(byte[] bytes, long failAfter, Action? onFail = null) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= failAfter)
        {
            if (onFail is not null)
            {
                onFail();
                throw new OperationCanceledException("the upload was cancelled midway");
            }

            throw new IOException("the source broke midway");
        }

        var n = (int)Math.Min(buffer.Length, Math.Min(bytes.Length, failAfter) - _position);
        bytes.AsSpan((int)_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(
        Memory<byte> buffer,
        CancellationToken cancellationToken = default
    ) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(
        byte[] buffer,
        int offset,
        int count,
        CancellationToken cancellationToken
    ) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException();
}
