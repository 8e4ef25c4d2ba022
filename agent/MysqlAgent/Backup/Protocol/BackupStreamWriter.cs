using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;

namespace MysqlAgent.Backup.Protocol;

/// <summary>Writes the framed backup body; counts and hashes the payload as it goes.</summary>
public sealed class BackupStreamWriter
{
    private readonly Stream _destination;

    // A fast non-cryptographic checksum: TCP and the token already stand against tampering; this
    // catches a stream that was cut or mangled on the way, at a few percent of SHA-256's CPU.
    private readonly XxHash128 _hash = new();
    private readonly byte[] _header = new byte[BackupStreamFormat.HeaderLength];
    private bool _completed;

    /// <summary>Characters of the error kept in the end frame.</summary>
    public const int MaxErrorLength = 4000;

    public BackupStreamWriter(Stream destination) => _destination = destination;

    public long BytesWritten { get; private set; }

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
            await WriteFrameAsync(BackupStreamFormat.DataFrame, piece, cancellationToken)
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
    }
}
