using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using MysqlAgent.Backup.Protocol;

namespace MysqlAgent.Tests.Backup;

public sealed class CompressedStreamProtocolTests
{
    /// <summary>Rows like a sysbench table's: compressible, neither random nor zeros.</summary>
    private static readonly byte[] Rows = Encoding.ASCII.GetBytes(
        string.Concat(
            Enumerable
                .Range(0, 4000)
                .Select(i =>
                    $"{i}\t{i * 7919 % 100000}\t{i * 31 % 97:D11}-{i * 17 % 89:D11}-{i % 83:D11}\t{i * 13 % 71:D11}-{i % 61:D11}\n"
                )
        )
    );

    public static TheoryData<string> Codecs => new() { "lz4", "zstd", "zstd:5" };

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task A_compressed_stream_yields_the_uncompressed_payload_with_its_count_and_checksum(
        string codec
    )
    {
        var body = await WriteAsync(codec, Rows[..100_000], Rows[100_000..]);

        var (trailer, copied) = await ReadAsync(body);

        Assert.Equal(Rows, copied);
        Assert.Equal(Rows.Length, trailer.Bytes);
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash(Rows)), trailer.Xxh128);
        Assert.True(body.Length < Rows.Length / 2, $"{body.Length} bytes on the wire");
        Assert.Equal(
            codec == "lz4" ? BackupStreamFormat.Lz4Frame : BackupStreamFormat.ZstdFrame,
            body[0]
        );
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task A_payload_that_does_not_shrink_goes_out_as_a_plain_data_frame(string codec)
    {
        var random = RandomNumberGenerator.GetBytes(50_000);

        var body = await WriteAsync(codec, random);

        Assert.Equal(BackupStreamFormat.DataFrame, body[0]);
        Assert.Equal(random, (await ReadAsync(body)).Copied);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task A_compressed_stream_cut_at_any_byte_is_rejected(string codec)
    {
        var body = await WriteAsync(codec, Rows[..3000], Rows[3000..6000]);

        for (var cut = 0; cut < body.Length; cut++)
        {
            var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body[..cut]));
            Assert.Contains("cut", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Any_changed_byte_of_a_compressed_frame_is_rejected_or_changes_nothing(
        string codec
    )
    {
        var body = await WriteAsync(codec, Rows[..3000]);
        var frameEnd =
            BackupStreamFormat.HeaderLength
            + (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1));

        // Every byte after the frame header: the announced length, then the compressed block. A
        // few bits of a zstd frame header (the window size) do not change what it decodes to; the
        // payload that reaches the extractor is then the donor's, byte for byte.
        var rejected = 0;
        for (var i = BackupStreamFormat.HeaderLength; i < frameEnd; i++)
        {
            var corrupt = body.ToArray();
            corrupt[i] ^= 0x5a;
            try
            {
                var (_, copied) = await ReadAsync(corrupt);
                Assert.Equal(Rows[..3000], copied);
            }
            catch (BackupStreamException e)
            {
                Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
                rejected++;
            }
        }

        Assert.True(rejected >= frameEnd - BackupStreamFormat.HeaderLength - 2, $"{rejected}");
    }

    [Theory]
    [InlineData(BackupStreamFormat.Lz4Frame)]
    [InlineData(BackupStreamFormat.ZstdFrame)]
    public async Task A_malformed_compressed_frame_is_rejected(byte kind)
    {
        byte[][] bodies =
        [
            Frame(kind, [0, 0, 0]),
            Frame(kind, [0, 0, 0, 0, 1]),
            Frame(kind, [0, 0x20, 0, 0, 1]),
            Concat(Header(kind, FrameCodec.MaxCompressedPayload + 1), new byte[16]),
            Frame(kind, [0, 0, 0, 9, 1, 2, 3, 4, 5, 6]),
        ];
        foreach (var body in bodies)
        {
            var e = await Assert.ThrowsAsync<BackupStreamException>(() => ReadAsync(body));
            Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("none", "none")]
    [InlineData("lz4", "lz4")]
    [InlineData("LZ4", "lz4")]
    [InlineData("zstd", "zstd")]
    [InlineData("zstd:1", "zstd")]
    [InlineData("zstd:19", "zstd:19")]
    public void Compression_names_parse_and_print_back(string text, string printed)
    {
        Assert.True(StreamCompression.TryParse(text, out var compression));
        Assert.Equal(printed, compression.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("gzip")]
    [InlineData("zstd:0")]
    [InlineData("zstd:20")]
    [InlineData("zstd:x")]
    [InlineData("lz4:3")]
    [InlineData("none:1")]
    public void Bad_compression_names_are_refused(string text) =>
        Assert.False(StreamCompression.TryParse(text, out _));

    private static Task<byte[]> WriteAsync(string codec, params byte[][] pieces)
    {
        Assert.True(StreamCompression.TryParse(codec, out var compression));
        return StreamFrames.WriteAsync(compression, pieces);
    }

    private static Task<(BackupStreamTrailer Trailer, byte[] Copied)> ReadAsync(byte[] body) =>
        StreamFrames.ReadAsync(body);

    private static byte[] Header(byte kind, int length) => StreamFrames.Header(kind, length);

    private static byte[] Frame(byte kind, byte[] payload) => StreamFrames.Frame(kind, payload);

    private static byte[] Concat(params byte[][] parts) => StreamFrames.Concat(parts);
}
