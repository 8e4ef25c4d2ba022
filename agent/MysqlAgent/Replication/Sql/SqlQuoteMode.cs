namespace MysqlAgent.Replication.Sql;

/// <summary>How the session reads backslashes in string literals: pass what <c>@@SESSION.sql_mode</c> says.</summary>
public enum SqlQuoteMode
{
    /// <summary>The default: a backslash starts an escape sequence.</summary>
    BackslashEscapes,

    /// <summary><c>NO_BACKSLASH_ESCAPES</c> is set: a backslash is an ordinary character.</summary>
    NoBackslashEscapes,
}
