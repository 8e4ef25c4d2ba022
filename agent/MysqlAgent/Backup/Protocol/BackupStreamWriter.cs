using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;

namespace MysqlAgent.Backup.Protocol;

/// <summary>
/// Writes the framed backup body; counts and hashes the (uncompressed) payload as it goes, and
/// compresses each frame when asked to.
/// </summary>
public sealed class BackupStreamWriter : IDisposable
{
    private readonly Stream _destination;
    private readonly FrameCodec? _codec;
    private byte[]? _compressed;

    // A fast non-cryptographic checksum: TCP and the token already stand against tampering; this
    // catches a stream that was cut or mangled on the way, at a few percent of SHA-256's CPU.
    private readonly XxHash128 _hash = new();
    private readonly byte[] _header = new byte[BackupStreamFormat.HeaderLength];
    private bool _completed;

    /// <summary>Characters of the error kept in the end frame.</summary>
    public const int MaxErrorLength = 4000;

    public BackupStreamWriter(Stream destination, StreamCompression? compression = null)
    {
        _destination = destination;
        if (compression is not null && compression.Codec != StreamCodec.None)
        {
            _codec = new FrameCodec(compression);
        }
    }

    /// <summary>Payload bytes (the uncompressed xbstream) written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Bytes put on the wire so far, frame headers and compression included.</summary>
    public long WireBytes { get; private set; }

    public async ValueTask WriteAsync(
        ReadOnlyMemory<byte> payload,
        CancellationToken cancellationToken
    )
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!payload.IsEmpty)
        {
            var piece = payload[..Math.Min(payload.Length, BackupStreamFormat.MaxFrame)];
            _hash.Append(piece.Span);
            var (kind, length) = (BackupStreamFormat.DataFrame, 0);
            if (_codec is not null)
            {
                _compressed ??= new byte[FrameCodec.MaxCompressedPayload];
                (kind, length) = _codec.Compress(piece.Span, _compressed);
            }

            await WriteFrameAsync(
                    kind,
                    kind == BackupStreamFormat.DataFrame ? piece : _compressed.AsMemory(0, length),
                    cancellationToken
                )
                .ConfigureAwait(false);
            BytesWritten += piece.Length;
            payload = payload[piece.Length..];
        }
    }

    /// <summary>Ends the body with the verdict. <paramref name="exitCode"/> 0 and no error means success.</summary>
    public async ValueTask CompleteAsync(
        int? exitCode,
        string? error,
        CancellationToken cancellationToken
    )
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        var ok = exitCode == 0 && error is null;
        // The reader rejects an end frame above MaxTrailer as corrupt: keep a long stderr tail below it
        // (JSON may spend up to 6 bytes on one character).
        if (error is { Length: > MaxErrorLength })
        {
            error = string.Concat(error.AsSpan(0, MaxErrorLength), "...");
        }

        var trailer = new BackupStreamTrailer(
            ok ? BackupStreamTrailer.Ok : BackupStreamTrailer.Failed,
            BytesWritten,
            Convert.ToHexStringLower(_hash.GetHashAndReset()),
            exitCode,
            error
        );
        var json = JsonSerializer.SerializeToUtf8Bytes(
            trailer,
            BackupStreamJsonContext.Default.BackupStreamTrailer
        );
        await WriteFrameAsync(BackupStreamFormat.EndFrame, json, cancellationToken)
            .ConfigureAwait(false);
        await _destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteFrameAsync(
        byte kind,
        ReadOnlyMemory<byte> payload,
        CancellationToken cancellationToken
    )
    {
        _header[0] = kind;
        BinaryPrimitives.WriteUInt32BigEndian(_header.AsSpan(1), (uint)payload.Length);
        await _destination.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
        await _destination.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        WireBytes += BackupStreamFormat.HeaderLength + payload.Length;
    }

    public void Dispose() => _codec?.Dispose();
}
