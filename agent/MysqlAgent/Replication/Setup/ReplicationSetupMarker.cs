using MysqlAgent.Common;

namespace MysqlAgent.Replication.Setup;

/// <summary>
/// Files in the datadir that, with the server's own state, make the setup at-most-once across
/// crashes: <see cref="Started"/> is written right after the replica's inherited settings were
/// reset (so a source seen after it is ours, not one a MySQL clone carried over in its
/// replication tables); <see cref="Done"/> after replication was started.
/// </summary>
public sealed class ReplicationSetupMarker
{
    public const string FileName = ".mysql-agent-replication-configured";
    public const string StartedFileName = ".mysql-agent-replication-started";

    private ReplicationSetupMarker(string dataDir, string fileName) =>
        Path = System.IO.Path.Combine(dataDir, fileName);

    public static ReplicationSetupMarker Done(string dataDir) => new(dataDir, FileName);

    public static ReplicationSetupMarker Started(string dataDir) => new(dataDir, StartedFileName);

    public string Path { get; }

    public bool Exists => File.Exists(Path);

    /// <summary>Written whole and durably (<see cref="AtomicFile"/>): a crash or a power cut leaves no half marker and loses no whole one.</summary>
    public Task WriteAsync(string content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AtomicFile.Write(Path, content);
        return Task.CompletedTask;
    }
}
