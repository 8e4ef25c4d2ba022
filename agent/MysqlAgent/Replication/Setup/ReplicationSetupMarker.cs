namespace MysqlAgent.Replication.Setup;

/// <summary>
/// A file in the datadir written after replication was set up and started. With the server's own
/// state (is a source configured?) it makes the setup at-most-once across crashes and restarts.
/// </summary>
public sealed class ReplicationSetupMarker
{
    public const string FileName = ".mysql-agent-replication-configured";

    public ReplicationSetupMarker(string dataDir) =>
        Path = System.IO.Path.Combine(dataDir, FileName);

    public string Path { get; }

    public bool Exists => File.Exists(Path);

    /// <summary>Written to a temp file, flushed to disk, then renamed: a crash leaves no half marker.</summary>
    public async Task WriteAsync(string content, CancellationToken cancellationToken)
    {
        var temp = Path + ".tmp";
        await using (
            var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None)
        )
        {
            await stream
                .WriteAsync(System.Text.Encoding.UTF8.GetBytes(content), cancellationToken)
                .ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path, overwrite: true);
    }
}
