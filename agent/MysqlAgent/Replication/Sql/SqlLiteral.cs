using System.Globalization;
using System.Text;

namespace MysqlAgent.Replication.Sql;

/// <summary>
/// The one place that turns values into SQL literals, for the statements that cannot take
/// parameters (<c>CHANGE REPLICATION SOURCE TO</c>, <c>SET GLOBAL gtid_purged</c>, ...).
/// </summary>
/// <remarks>
/// A quote is always doubled (<c>''</c>), which reads the same in both modes. Backslashes and
/// control characters depend on <c>NO_BACKSLASH_ESCAPES</c>, so the caller passes the session's mode.
/// Rendering for <see cref="SqlQuoteMode.BackslashEscapes"/> is the safe default: read under
/// <c>NO_BACKSLASH_ESCAPES</c> it can only alter a value that holds backslashes or control characters,
/// never end the literal early. The other way round is unsafe (a value ending in a backslash would
/// escape the closing quote), so <see cref="SqlQuoteMode.NoBackslashEscapes"/> must only be passed
/// when the session really has that mode.
/// </remarks>
public static class SqlLiteral
{
    /// <summary>A single-quoted string literal holding exactly <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The value is not valid UTF-16 (a lone surrogate cannot reach the server intact).</exception>
    public static string Quote(string value, SqlQuoteMode mode = SqlQuoteMode.BackslashEscapes)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IsWellFormedUtf16(value))
        {
            throw new ArgumentException(
                "the value holds a lone surrogate and cannot be sent as UTF-8",
                nameof(value)
            );
        }

        var literal = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (c == '\'')
            {
                literal.Append("''");
            }
            else if (mode == SqlQuoteMode.NoBackslashEscapes)
            {
                literal.Append(c);
            }
            else
            {
                _ = c switch
                {
                    '\\' => literal.Append(@"\\"),
                    '\0' => literal.Append(@"\0"),
                    '\n' => literal.Append(@"\n"),
                    '\r' => literal.Append(@"\r"),
                    '\x1a' => literal.Append(@"\Z"),
                    _ => literal.Append(c),
                };
            }
        }

        return literal.Append('\'').ToString();
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (
                char.IsHighSurrogate(value[i])
                && i + 1 < value.Length
                && char.IsLowSurrogate(value[i + 1])
            )
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
