using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;

namespace MysqlAgent.Backup.Protocol;

/// <summary>
/// Reads the framed backup body, copies the payload to a destination (the extractor's stdin) and
/// returns the trailer only when the stream is complete and verified: end frame present, status ok,
/// byte count and XXH128 checksum equal to what arrived, and nothing after it. Otherwise it throws
/// <see cref="BackupStreamException"/>.
/// </summary>
public static class BackupStreamReader
{
    public static Task<BackupStreamTrailer> CopyPayloadAsync(
        Stream source,
        Stream destination,
        CancellationToken cancellationToken
    ) => CopyPayloadAsync(source, destination, null, cancellationToken);

    /// <summary>
    /// As above; data frames may be compressed (lz4, zstd) and are decompressed on the fly.
    /// <paramref name="progress"/> hears the payload bytes copied so far after each frame.
    /// </summary>
    public static async Task<BackupStreamTrailer> CopyPayloadAsync(
        Stream source,
        Stream destination,
        Action<long>? progress,
        CancellationToken cancellationToken
    )
    {
        var hash = new XxHash128();
        var header = new byte[BackupStreamFormat.HeaderLength];
        var buffer = new byte[BackupStreamFormat.MaxFrame];
        byte[]? compressed = null;
        using var codec = new FrameCodec(StreamCompression.None);
        long received = 0;
        while (true)
        {
            var headerRead = await source
                .ReadAtLeastAsync(
                    header,
                    header.Length,
                    throwOnEndOfStream: false,
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (headerRead < header.Length)
            {
                throw new BackupStreamException(
                    $"backup stream cut after {received} payload bytes: it ended without the donor's end frame"
                );
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
            switch (header[0])
            {
                case BackupStreamFormat.DataFrame:
                    if (length is 0 or > BackupStreamFormat.MaxFrame)
                    {
                        throw new BackupStreamException(
                            $"backup stream corrupt after {received} bytes: data frame of {length} bytes"
                        );
                    }

                    await ReadExactlyOrCutAsync(
                            source,
                            buffer.AsMemory(0, (int)length),
                            received,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    hash.Append(buffer.AsSpan(0, (int)length));
                    await destination
                        .WriteAsync(buffer.AsMemory(0, (int)length), cancellationToken)
                        .ConfigureAwait(false);
                    received += length;
                    progress?.Invoke(received);
                    break;

                case BackupStreamFormat.Lz4Frame:
                case BackupStreamFormat.ZstdFrame:
                    if (length > FrameCodec.MaxCompressedPayload)
                    {
                        throw new BackupStreamException(
                            $"backup stream corrupt after {received} bytes: compressed frame of {length} bytes"
                        );
                    }

                    compressed ??= new byte[FrameCodec.MaxCompressedPayload];
                    await ReadExactlyOrCutAsync(
                            source,
                            compressed.AsMemory(0, (int)length),
                            received,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    var decoded = codec.Decompress(
                        header[0],
                        compressed.AsSpan(0, (int)length),
                        buffer,
                        received
                    );
                    hash.Append(buffer.AsSpan(0, decoded));
                    await destination
                        .WriteAsync(buffer.AsMemory(0, decoded), cancellationToken)
                        .ConfigureAwait(false);
                    received += decoded;
                    progress?.Invoke(received);
                    break;

                case BackupStreamFormat.EndFrame:
                    if (length > BackupStreamFormat.MaxTrailer)
                    {
                        throw new BackupStreamException(
                            $"backup stream corrupt after {received} bytes: end frame of {length} bytes"
                        );
                    }

                    var json = new byte[length];
                    await ReadExactlyOrCutAsync(source, json, received, cancellationToken)
                        .ConfigureAwait(false);
                    var trailer = Deserialize(json, received);
                    if (
                        await source
                            .ReadAsync(header.AsMemory(0, 1), cancellationToken)
                            .ConfigureAwait(false) != 0
                    )
                    {
                        throw new BackupStreamException(
                            $"backup stream corrupt: bytes follow the end frame after {received} bytes"
                        );
                    }

                    Verify(trailer, received, Convert.ToHexStringLower(hash.GetHashAndReset()));
                    return trailer;

                default:
                    throw new BackupStreamException(
                        $"backup stream corrupt after {received} bytes: unknown frame type 0x{header[0]:x2} (is the donor a mysql-agent of the same protocol?)"
                    );
            }
        }
    }

    private static async Task ReadExactlyOrCutAsync(
        Stream source,
        Memory<byte> into,
        long received,
        CancellationToken cancellationToken
    )
    {
        var read = await source
            .ReadAtLeastAsync(into, into.Length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (read < into.Length)
        {
            throw new BackupStreamException(
                $"backup stream cut after {received + read} payload bytes: it ended inside a frame"
            );
        }
    }

    private static BackupStreamTrailer Deserialize(byte[] json, long received)
    {
        try
        {
            return JsonSerializer.Deserialize(
                    json,
                    BackupStreamJsonContext.Default.BackupStreamTrailer
                )
                ?? throw new BackupStreamException(
                    $"backup stream corrupt after {received} bytes: empty end frame"
                );
        }
        catch (JsonException)
        {
            throw new BackupStreamException(
                $"backup stream corrupt after {received} bytes: end frame is not valid JSON"
            );
        }
    }

    private static void Verify(BackupStreamTrailer trailer, long received, string checksum)
    {
        if (!trailer.IsOk)
        {
            throw new BackupStreamException(
                $"donor's backup failed (exit code {trailer.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): {trailer.Error ?? "no reason given"}"
            );
        }

        if (trailer.Bytes != received)
        {
            throw new BackupStreamException(
                $"backup stream incomplete: donor sent {trailer.Bytes} bytes, {received} arrived"
            );
        }

        if (!string.Equals(trailer.Xxh128, checksum, StringComparison.Ordinal))
        {
            throw new BackupStreamException(
                $"backup stream corrupt: checksum (XXH128) {checksum} differs from the donor's {trailer.Xxh128}"
            );
        }
    }
}
