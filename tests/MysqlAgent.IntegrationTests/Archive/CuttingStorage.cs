using MysqlAgent.Storage;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>A storage whose data uploads break after <c>cutAfter</c> bytes, as a lost link or a full bucket would.</summary>
internal sealed class CuttingStorage(IBackupStorage inner, long cutAfter) : IBackupStorage
{
    public string Location => inner.Location;

    public Task PutAsync(
        string key,
        Stream content,
        long? expectedBytes,
        CancellationToken cancellationToken
    ) =>
        inner.PutAsync(
            key,
            key.EndsWith("/data.stream", StringComparison.Ordinal)
                ? new CutStream(content, cutAfter)
                : content,
            expectedBytes,
            cancellationToken
        );

    public Task<Stream> GetAsync(string key, CancellationToken cancellationToken) =>
        inner.GetAsync(key, cancellationToken);

    public IAsyncEnumerable<StoredObject> ListAsync(
        string prefix,
        CancellationToken cancellationToken
    ) => inner.ListAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        inner.DeleteAsync(key, cancellationToken);

    private sealed class CutStream(Stream inner, long cutAfter) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(
            Memory<byte> buffer,
            CancellationToken cancellationToken = default
        )
        {
            if (_read >= cutAfter)
            {
                throw new IOException($"the upload link broke after {_read} bytes");
            }

            var n = await inner
                .ReadAsync(
                    buffer[..(int)Math.Min(buffer.Length, cutAfter - _read)],
                    cancellationToken
                )
                .ConfigureAwait(false);
            _read += n;
            return n;
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

        public override long Seek(long offset, SeekOrigin origin) =>
            throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException();
    }
}
