namespace MysqlAgent.Election;

/// <summary>
/// What this pod knows of its own errant transactions: the GTIDs found beyond the fork point of the
/// term it would join (null when none), and whether it has asked for its re-clone, which it does
/// once per process.
/// </summary>
/// <param name="Gtids">The errant GTIDs, comma-separated; null when none.</param>
/// <param name="Count">How many GTIDs (or sets) <paramref name="Gtids"/> names.</param>
/// <param name="ForkPoint">The fork point they lie beyond.</param>
/// <param name="ForkTerm">The term of that fork point.</param>
/// <param name="RecloneRequested">This process asked for its re-clone.</param>
public sealed record ErrantMemory(
    string? Gtids,
    int Count,
    string? ForkPoint,
    long ForkTerm,
    bool RecloneRequested
)
{
    public static readonly ErrantMemory None = new(null, 0, null, 0, false);

    public bool IsErrant => Gtids is not null;

    /// <summary>Not errant any more; a re-clone already asked for stays asked for.</summary>
    public ErrantMemory Cleared() =>
        this with
        {
            Gtids = null,
            Count = 0,
            ForkPoint = null,
            ForkTerm = 0,
        };
}
