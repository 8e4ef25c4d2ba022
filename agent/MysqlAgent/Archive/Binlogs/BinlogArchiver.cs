using System.Text.Json;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Storage;
using MySqlConnector;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// One archiving pass of the local server's binlogs: rotate when due (<see cref="BinlogArchivePlan"/>),
/// then upload, oldest first, every closed file holding a transaction the archive lacks: the file
/// first, its manifest last. What the archive holds is read from the archive itself at the first
/// pass of each term (a new primary continues from its predecessor's last archived position, not
/// from anything it remembers), then kept up to date with this agent's own uploads: while it holds
/// the Lease no other agent archives.
/// </summary>
public sealed class BinlogArchiver
{
    private readonly AgentOptions _options;
    private readonly IBackupStorage _storage;
    private readonly LocalServer _server;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AgentMetrics? _metrics;
    private ServerFacts? _facts;
    private LocalBinlogs? _local;
    private BinlogCoverage? _covered;
    private long? _coveredTerm;
    private DateTimeOffset? _recoverableUntil;

    public BinlogArchiver(
        AgentOptions options,
        IBackupStorage storage,
        LocalServer server,
        TimeProvider time,
        ILogger logger,
        AgentMetrics? metrics = null
    )
    {
        _options = options;
        _storage = storage;
        _server = server;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <param name="term">The Lease term this primary holds (null without an election); a new term re-reads the archive.</param>
    /// <param name="forceRotation">Rotate now if the active file holds a transaction, whatever the interval.</param>
    public async Task<BinlogArchivePass> ArchiveAsync(
        long? term,
        bool forceRotation,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await PassAsync(term, forceRotation, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Whatever failed, the next pass starts from the archive and the server again.
            Forget();
            throw;
        }
    }

    /// <summary>Drops what earlier passes learnt: the next one reads the archive and the server anew.</summary>
    public void Forget()
    {
        _covered = null;
        _facts = null;
        _local?.Forget();
    }

    private async Task<BinlogArchivePass> PassAsync(
        long? term,
        bool forceRotation,
        CancellationToken cancellationToken
    )
    {
        _facts ??= await ServerFacts.ReadAsync(_server, cancellationToken).ConfigureAwait(false);
        var flavour = _facts.Flavour;
        _local ??= new LocalBinlogs(flavour, _options.DataDir);
        if (_covered is null || _coveredTerm != term)
        {
            await ReadArchiveAsync(flavour, term, cancellationToken).ConfigureAwait(false);
        }

        var connection = await _server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!await BinlogOnAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException(
                    $"binary logging is off on {_options.LocalMysql}: set log-bin in the server's configuration (the manifests' cnf files do), or run serve without --target"
                );
            }

            var files = await _local.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var rotated = false;
            if (files.Count > 0)
            {
                var active = files[^1];
                var written = await _local
                    .WrittenAsync(connection, cancellationToken)
                    .ConfigureAwait(false);
                var (openedAt, _) = BinlogEventTimes.Read(active.Path);
                if (
                    BinlogArchivePlan.ShouldRotate(
                        active,
                        openedAt,
                        written,
                        _time.GetUtcNow(),
                        _options.BinlogArchiveInterval,
                        forceRotation
                    )
                )
                {
                    await ExecuteAsync(connection, "FLUSH BINARY LOGS", cancellationToken)
                        .ConfigureAwait(false);
                    rotated = true;
                    files = await _local
                        .ReadAsync(connection, cancellationToken)
                        .ConfigureAwait(false);
                }
            }

            var uploaded = new List<BinlogManifest>();
            foreach (var closed in BinlogArchivePlan.Closed(files))
            {
                if (!BinlogArchivePlan.Adds(closed, _covered!))
                {
                    continue;
                }

                if (BinlogArchivePlan.LeavesGap(closed, _covered!))
                {
                    BinlogArchiveLog.Gap(
                        _logger,
                        closed.File.Name,
                        closed.File.Start.ToString(),
                        _storage.Location,
                        _covered!.ToString()
                    );
                    _metrics?.BinlogArchiveGaps.Inc();
                }

                var manifest = await UploadAsync(closed, term, cancellationToken)
                    .ConfigureAwait(false);
                uploaded.Add(manifest);
                _covered = _covered!.Union(closed.End);
                if (_recoverableUntil is null || manifest.LastEventAt > _recoverableUntil)
                {
                    _recoverableUntil = manifest.LastEventAt;
                }
            }

            Publish();
            return new BinlogArchivePass(uploaded, rotated, _covered!, _recoverableUntil);
        }
    }

    private async Task ReadArchiveAsync(
        string flavour,
        long? term,
        CancellationToken cancellationToken
    )
    {
        var archived = await BinlogArchiveCatalog
            .ListAsync(_storage, _logger, cancellationToken)
            .ConfigureAwait(false);
        _covered = BinlogArchiveCatalog.Covered(archived, flavour);
        _coveredTerm = term;
        _recoverableUntil = archived.Count > 0 ? archived.Max(m => m.LastEventAt) : null;
        BinlogArchiveLog.ChainRead(
            _logger,
            _storage.Location,
            term?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
            archived.Count,
            _covered.ToString()
        );
    }

    private async Task<BinlogManifest> UploadAsync(
        ClosedBinlog closed,
        long? term,
        CancellationToken cancellationToken
    )
    {
        var file = closed.File;
        var (first, last) = BinlogEventTimes.Read(file.Path);
        var id = BinlogKeys.NewId(_time.GetUtcNow(), _options.Pod.PodName, file.Name);
        var dataKey = BinlogKeys.Data(id, file.Name);
        var source = new ReadHashingStream(
            new FileStream(
                file.Path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 1 << 16,
                useAsync: true
            )
        );
        await using (source.ConfigureAwait(false))
        {
            await _storage
                .PutAsync(dataKey, source, new FileInfo(file.Path).Length, cancellationToken)
                .ConfigureAwait(false);
        }

        var manifest = new BinlogManifest
        {
            Id = id,
            DataKey = dataKey,
            File = file.Name,
            Pod = _options.Pod.PodName,
            ServerId = _options.ServerId,
            ServerUuid = _facts!.ServerUuid,
            ServerVersion = _facts.Version,
            Flavour = _facts.Flavour,
            Term = term,
            StartGtid = file.Start.Text,
            EndGtid = closed.End.Text,
            FirstEventAt = first,
            LastEventAt = last,
            Bytes = source.Bytes,
            Xxh128 = source.Xxh128,
            ArchivedAt = _time.GetUtcNow(),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(
            manifest,
            ArchiveJsonContext.Default.BinlogManifest
        );
        using (var body = new MemoryStream(json, writable: false))
        {
            await _storage
                .PutAsync(BinlogKeys.Manifest(id), body, json.Length, cancellationToken)
                .ConfigureAwait(false);
        }

        BinlogArchiveLog.Archived(
            _logger,
            file.Name,
            _storage.Location,
            id,
            manifest.Bytes,
            file.Start.ToString(),
            closed.End.ToString(),
            last
        );
        _metrics?.BinlogArchiveFiles.Inc();
        _metrics?.BinlogArchiveBytes.Inc(manifest.Bytes);
        return manifest;
    }

    private void Publish()
    {
        if (_metrics is not null && _recoverableUntil is { } until)
        {
            _metrics.BinlogArchiveRecoverable.Set(until.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private static async Task<bool> BinlogOnAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        var command = new MySqlCommand("SELECT @@log_bin", connection);
        await using (command.ConfigureAwait(false))
        {
            return Convert.ToInt64(
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                    System.Globalization.CultureInfo.InvariantCulture
                ) == 1;
        }
    }

    private static async Task ExecuteAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        var command = new MySqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
