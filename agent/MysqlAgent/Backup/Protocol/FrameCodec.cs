using System.Buffers.Binary;
using K4os.Compression.LZ4;
using ZstdSharp;

namespace MysqlAgent.Backup.Protocol;

/// <summary>
/// Compresses one data frame's payload on the donor and decompresses it on the receiver. Each frame
/// is compressed on its own (1 MiB blocks), so a receiver needs no state across frames and a cut or
/// mangled frame is caught at that frame. A payload that does not shrink goes out as a plain data frame.
/// </summary>
public sealed class FrameCodec : IDisposable
{
    private readonly StreamCompression _compression;
    private Compressor? _zstd;
    private Decompressor? _unzstd;

    public FrameCodec(StreamCompression compression) => _compression = compression;

    /// <summary>Room for the uncompressed length and any compressed frame the writer sends.</summary>
    public static int MaxCompressedPayload => BackupStreamFormat.MaxFrame + 4;

    /// <summary>
    /// Compresses <paramref name="payload"/> (at most <see cref="BackupStreamFormat.MaxFrame"/> bytes)
    /// into <paramref name="frame"/> as the body of a compressed frame; returns the frame type and the
    /// body's length, or <see cref="BackupStreamFormat.DataFrame"/> and 0 when it did not shrink.
    /// </summary>
    public (byte Kind, int Length) Compress(ReadOnlySpan<byte> payload, Span<byte> frame)
    {
        var room = frame[4..Math.Min(frame.Length, payload.Length + 4)];
        int written;
        byte kind;
        switch (_compression.Codec)
        {
            case StreamCodec.Lz4:
                // Encode returns a negative count when the output would not fit the payload's own size.
                written = LZ4Codec.Encode(payload, room, LZ4Level.L00_FAST);
                kind = BackupStreamFormat.Lz4Frame;
                break;
            case StreamCodec.Zstd:
                _zstd ??= new Compressor(_compression.Level);
                written = _zstd.TryWrap(payload, room, out var n) ? n : -1;
                kind = BackupStreamFormat.ZstdFrame;
                break;
            default:
                return (BackupStreamFormat.DataFrame, 0);
        }

        if (written <= 0 || written >= payload.Length)
        {
            return (BackupStreamFormat.DataFrame, 0);
        }

        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        return (kind, written + 4);
    }

    /// <summary>
    /// Decompresses a compressed frame's body into <paramref name="output"/>; returns the payload's
    /// length. Throws <see cref="BackupStreamException"/> when the body does not decode to exactly the
    /// length it announces.
    /// </summary>
    public int Decompress(byte kind, ReadOnlySpan<byte> body, Span<byte> output, long received)
    {
        if (body.Length < 5)
        {
            throw Corrupt(kind, received, $"a compressed frame of {body.Length} bytes");
        }

        var expected = BinaryPrimitives.ReadUInt32BigEndian(body);
        if (expected is 0 or > BackupStreamFormat.MaxFrame)
        {
            throw Corrupt(kind, received, $"a compressed frame announcing {expected} bytes");
        }

        var target = output[..(int)expected];
        int decoded;
        if (kind == BackupStreamFormat.Lz4Frame)
        {
            decoded = LZ4Codec.Decode(body[4..], target);
        }
        else
        {
            _unzstd ??= new Decompressor();
            try
            {
                decoded = _unzstd.TryUnwrap(body[4..], target, out var n) ? n : -1;
            }
            catch (ZstdException)
            {
                decoded = -1;
            }
        }

        if (decoded != expected)
        {
            throw Corrupt(
                kind,
                received,
                $"a compressed frame that does not decode to the {expected} bytes it announces"
            );
        }

        return decoded;
    }

    private static BackupStreamException Corrupt(byte kind, long received, string what) =>
        new(
            $"backup stream corrupt after {received} bytes: {what} ({(kind == BackupStreamFormat.Lz4Frame ? "lz4" : "zstd")})"
        );

    public void Dispose()
    {
        _zstd?.Dispose();
        _unzstd?.Dispose();
    }
}
