using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using MysqlAgent.Backup.Protocol;

namespace MysqlAgent.Tests.Backup;

public sealed class BackupStreamProtocolTests
{
    private static readonly byte[] Payload = Enumerable
        .Range(0, 300)
        .Select(i => (byte)(i * 7))
        .ToArray();

    [Fact]
    public async Task A_complete_stream_yields_its_payload_and_an_ok_trailer_with_count_and_checksum()
    {
        var body = await WriteAsync([Payload[..100], Payload[100..101], Payload[101..]], 0, null);

        var (trailer, copied) = await ReadAsync(body);

        Assert.True(trailer.IsOk);
        Assert.Equal(Payload.Length, trailer.Bytes);
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash(Payload)), trailer.Xxh128);
        Assert.Equal(0, trailer.ExitCode);
        Assert.Equal(Payload, copied);
    }

    [Fact]
    public async Task A_stream_read_one_byte_at_a_time_is_read_whole()
    {
        var body = await WriteAsync([Payload[..150], Payload[150..]], 0, null);

        var copied = new MemoryStream();
        var trailer = await BackupStreamReader.CopyPayloadAsync(
            new TrickleStream(body),
            copied,
            CancellationToken.None
        );

        Assert.True(trailer.IsOk);
        Assert.Equal(Payload, copied.ToArray());
    }

    [Fact]
    public async Task An_empty_backup_is_still_a_verified_stream_with_zero_bytes()
    {
        var body = await WriteAsync([], 0, null);

        var (trailer, copied) = await ReadAsync(body);

        Assert.Equal(0, trailer.Bytes);
        Assert.Empty(copied);
    }

    [Fact]
    public async Task A_stream_cut_at_any_byte_is_rejected()
    {
        var body = await WriteAsync([Payload[..100], Payload[100..]], 0, null);

        for (var cut = 0; cut < body.Length; cut++)
        {
            var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body[..cut]));
            Assert.Contains("cut", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_payload_larger_than_a_frame_is_split_and_read_back()
    {
        var big = RandomNumberGenerator.GetBytes(BackupStreamFormat.MaxFrame + 10);
        var body = await WriteAsync([big], 0, null);

        Assert.Equal(BackupStreamFormat.DataFrame, body[BackupStreamFormat.MaxFrame + 5]);
        var (trailer, copied) = await ReadAsync(body);
        Assert.Equal(big.Length, trailer.Bytes);
        Assert.Equal(big, copied);
    }

    [Fact]
    public async Task A_failed_end_frame_throws_with_the_exit_code_and_the_error()
    {
        var body = await WriteAsync([Payload], 1, "mariabackup: access denied");

        var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));

        Assert.Contains("exit code 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("access denied", e.Message, StringComparison.Ordinal);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task A_failure_without_an_exit_code_says_so()
    {
        var body = await WriteAsync([], null, "cannot start the backup tool");

        var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));

        Assert.Contains("exit code none", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_code_zero_with_an_error_is_a_failure()
    {
        var body = await WriteAsync([Payload], 0, "receiver-side check failed");

        await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));
    }

    [Fact]
    public async Task A_very_long_error_is_shortened_so_the_end_frame_stays_readable()
    {
        var body = await WriteAsync([Payload], 2, new string('\u0001', 100_000));

        var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));

        Assert.Contains("exit code 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_payload_byte_fails_the_checksum()
    {
        var body = await WriteAsync([Payload], 0, null);
        body[BackupStreamFormat.HeaderLength + 10] ^= 0xff;

        var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));

        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trailer_counting_other_bytes_than_arrived_is_rejected()
    {
        var sum = Convert.ToHexStringLower(XxHash128.Hash(Payload));
        var body = Concat(
            Frame(BackupStreamFormat.DataFrame, Payload),
            Frame(
                BackupStreamFormat.EndFrame,
                Json(
                    $$"""{"status":"ok","bytes":{{Payload.Length + 1}},"xxh128":"{{sum}}","exitCode":0}"""
                )
            )
        );

        var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));

        Assert.Contains("incomplete", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_after_the_end_frame_are_rejected()
    {
        var body = Concat(await WriteAsync([Payload], 0, null), [0]);

        var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));

        Assert.Contains("follow the end frame", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> CorruptStreams =>
        new()
        {
            { "unknown frame type", Frame((byte)'X', [1, 2, 3]) },
            { "data frame of 0 bytes", Frame(BackupStreamFormat.DataFrame, []) },
            {
                "data frame of",
                Header(BackupStreamFormat.DataFrame, BackupStreamFormat.MaxFrame + 1)
            },
            {
                "end frame of",
                Header(BackupStreamFormat.EndFrame, BackupStreamFormat.MaxTrailer + 1)
            },
            { "not valid JSON", Frame(BackupStreamFormat.EndFrame, Json("{\"status\":")) },
            { "not valid JSON", Frame(BackupStreamFormat.EndFrame, []) },
            { "empty end frame", Frame(BackupStreamFormat.EndFrame, Json("null")) },
            {
                "corrupt",
                Concat(Frame(BackupStreamFormat.DataFrame, [1]), Frame((byte)'e', Json("{}")))
            },
        };

    [Theory]
    [MemberData(nameof(CorruptStreams))]
    public async Task A_corrupt_frame_is_rejected(string expected, byte[] body)
    {
        var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trailer_without_a_checksum_is_rejected()
    {
        var body = Frame(BackupStreamFormat.EndFrame, Json("""{"status":"ok","bytes":0}"""));

        await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));
    }

    [Fact]
    public async Task The_writer_refuses_to_write_after_the_end_frame()
    {
        var writer = new BackupStreamWriter(new MemoryStream());
        await writer.CompleteAsync(0, null, CancellationToken.None);

        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
            await writer.WriteAsync(Payload, CancellationToken.None)
        );
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
            await writer.CompleteAsync(0, null, CancellationToken.None)
        );
    }

    [Fact]
    public async Task The_writer_counts_the_payload_it_wrote()
    {
        var writer = new BackupStreamWriter(new MemoryStream());
        await writer.WriteAsync(Payload, CancellationToken.None);
        await writer.WriteAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Assert.Equal(Payload.Length, writer.BytesWritten);
    }

    private static Task<byte[]> WriteAsync(byte[][] pieces, int? exitCode, string? error) =>
        StreamFrames.WriteAsync(null, pieces, exitCode, error);

    private static Task<(BackupStreamTrailer Trailer, byte[] Copied)> ReadAsync(byte[] body) =>
        StreamFrames.ReadAsync(body);

    private static byte[] Header(byte kind, int length) => StreamFrames.Header(kind, length);

    private static byte[] Frame(byte kind, byte[] payload) => StreamFrames.Frame(kind, payload);

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => StreamFrames.Concat(parts);

    /// <summary>Hands out at most one byte per read, as a slow network may.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position == data.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = data[_position++];
            return 1;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) =>
            throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException();
    }
}
