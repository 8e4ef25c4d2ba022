using System.Text.Json;
using MysqlAgent.Common;

namespace MysqlLocal.State;

/// <summary>Reads and atomically writes <c>set.json</c> and the pods' <c>pod.json</c>.</summary>
public sealed class SetStore(SetPaths paths)
{
    public SetPaths Paths { get; } = paths;

    public bool Exists => File.Exists(Paths.DesiredStateFile);

    /// <exception cref="LocalSetException">The set was never created here, or its file is unreadable.</exception>
    public DesiredState ReadDesired()
    {
        if (!Exists)
        {
            throw new LocalSetException(
                $"no replica set in {Paths.StateDir}: run 'up' first (or pass the --state-dir you used)"
            );
        }

        try
        {
            return JsonSerializer.Deserialize(
                    File.ReadAllText(Paths.DesiredStateFile),
                    SetJsonContext.Default.DesiredState
                ) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new LocalSetException(
                $"{Paths.DesiredStateFile} is not a valid set file ({e.Message}): run 'down' and 'up' again"
            );
        }
    }

    public void WriteDesired(DesiredState state)
    {
        Directory.CreateDirectory(Paths.StateDir);
        AtomicFile.Write(
            Paths.DesiredStateFile,
            JsonSerializer.Serialize(state, SetJsonContext.Default.DesiredState)
        );
    }

    /// <summary>Changes set.json under a lock, so that two commands do not lose each other's change.</summary>
    public DesiredState UpdateDesired(Func<DesiredState, DesiredState> change)
    {
        Directory.CreateDirectory(Paths.StateDir);
        using var guard = new FileStream(
            Path.Combine(Paths.StateDir, "set.lock"),
            FileMode.OpenOrCreate,
            FileAccess.ReadWrite,
            FileShare.None,
            1,
            FileOptions.None
        );
        var updated = change(ReadDesired());
        WriteDesired(updated);
        return updated;
    }

    public PodRecord? ReadPod(int ordinal)
    {
        var file = Paths.Pod(ordinal).RecordFile;
        try
        {
            return JsonSerializer.Deserialize(
                File.ReadAllText(file),
                SetJsonContext.Default.PodRecord
            );
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public void WritePod(PodRecord record)
    {
        var pod = Paths.Pod(record.Ordinal);
        Directory.CreateDirectory(pod.Root);
        AtomicFile.Write(
            pod.RecordFile,
            JsonSerializer.Serialize(record, SetJsonContext.Default.PodRecord)
        );
    }

    /// <summary>Ordinals of every pod folder (pods scaled away keep theirs, as their volumes stay).</summary>
    public IReadOnlyList<int> PodOrdinalsOnDisk()
    {
        if (!Directory.Exists(Paths.PodsDir))
        {
            return [];
        }

        var prefix = SetPaths.StatefulSetName + "-";
        return Directory
            .EnumerateDirectories(Paths.PodsDir)
            .Select(Path.GetFileName)
            .Where(n => n is not null && n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => int.TryParse(n![prefix.Length..], out var o) ? o : -1)
            .Where(o => o >= 0)
            .Order()
            .ToList();
    }
}
