namespace MysqlAgent.Clone;

/// <summary>What a re-clone did with the datadir it replaced.</summary>
/// <param name="Aside">Where the datadir went (deleted again unless <paramref name="Kept"/>).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Kept">Whether the copy stays beside the datadir (false with <c>--keep-errant-datadirs 0</c>).</param>
/// <param name="DeletedOlder">The older copies deleted for the bound, oldest first.</param>
public sealed record ErrantMoveAside(
    string Aside,
    long Bytes,
    bool Kept,
    IReadOnlyList<string> DeletedOlder
);
