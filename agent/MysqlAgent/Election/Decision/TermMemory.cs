namespace MysqlAgent.Election;

/// <summary>The terms this pod took part in, as earlier turns saw them; 0 for none.</summary>
/// <param name="Held">The latest term it held the Lease in.</param>
/// <param name="Followed">The latest term whose primary its mysqld replicated from (or was).</param>
/// <param name="Acquired">The latest term it acquired (created, won, was handed) the Lease in.</param>
/// <param name="Promoted">The latest term its mysqld was promoted in.</param>
public sealed record TermMemory(long Held, long Followed, long Acquired, long Promoted)
{
    public static readonly TermMemory None = new(0, 0, 0, 0);
}
