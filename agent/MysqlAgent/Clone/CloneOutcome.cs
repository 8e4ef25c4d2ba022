namespace MysqlAgent.Clone;

public enum CloneOutcome
{
    /// <summary>Nothing to do: ordinal 0, a completed clone or initialised data.</summary>
    Skipped,

    /// <summary>A verified, prepared backup now fills the datadir.</summary>
    Cloned,
}
