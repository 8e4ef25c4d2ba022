using System.Text.Json;
using MysqlLocal.State;

namespace MysqlLocal.Failover;

/// <summary>
/// The fields of the agents' Lease document (MysqlAgent.Election.FileLeaseStore's <c>lease.json</c>)
/// that the local set shows and routes by. mysql-local does not reference the agent; a unit test
/// reads what the agent's store writes.
/// </summary>
public sealed record LeaseFile
{
    public long Version { get; init; }

    /// <summary>The holder's pod name; empty when the Lease was released.</summary>
    public string Holder { get; init; } = "";

    /// <summary><c>leaseTransitions</c>: grows by one at each new holder.</summary>
    public long Term { get; init; }

    public bool Paused { get; init; }

    /// <summary>When the holder last wrote the Lease (each renewal), by its clock: on one machine, the local set's clock too.</summary>
    public DateTimeOffset RenewedAt { get; init; }

    /// <summary>The last terms with their fork points: a term is here once its primary was promoted.</summary>
    public IReadOnlyList<LeaseFileTerm> History { get; init; } = [];

    /// <summary>Whether the holder of the current term has promoted its mysqld (recorded the term's fork point).</summary>
    public bool Promoted => History.Any(h => h.Term == Term && h.Holder == Holder);

    /// <summary>
    /// The Lease as it is now: null when no agent has created it yet. The agents replace the file by
    /// an atomic rename, so a read sees a whole document.
    /// </summary>
    /// <exception cref="LocalSetException">The file cannot be read or is not a Lease document.</exception>
    public static LeaseFile? Read(SetPaths paths)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(paths.LeaseFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LocalSetException($"cannot read the Lease {paths.LeaseFile}: {e.Message}");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, SetJsonContext.Default.LeaseFile)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new LocalSetException(
                $"{paths.LeaseFile} is not a Lease document ({e.Message}): see the agents' logs"
            );
        }
    }
}
