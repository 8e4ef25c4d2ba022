namespace MysqlAgent.Clone;

/// <summary>What clone finds in the datadir, and so what it does.</summary>
public enum DataDirKind
{
    /// <summary>Nothing there (or only <c>lost+found</c>): clone into it.</summary>
    Empty,

    /// <summary>Our completion marker is there: leave it alone.</summary>
    CompleteClone,

    /// <summary>A <c>mysql/</c> system schema that is not an interrupted clone of ours: leave it alone.</summary>
    InitialisedData,

    /// <summary>The agent asked for a fresh clone (errant, <c>--reclone-errant</c>): move it all aside, then clone.</summary>
    RecloneRequested,

    /// <summary>Something that is neither (an interrupted clone, staging leftovers, a half-extracted stream): clean it, then clone.</summary>
    Partial,
}
