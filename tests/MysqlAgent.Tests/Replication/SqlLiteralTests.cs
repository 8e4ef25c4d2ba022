using MysqlAgent.Replication.Sql;

namespace MysqlAgent.Tests.Replication;

public class SqlLiteralTests
{
    [Theory]
    [InlineData("", "''")]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("''", "''''''")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData(@"ends with \", @"'ends with \\'")]
    [InlineData(@"\'; DROP DATABASE x; --", @"'\\''; DROP DATABASE x; --'")]
    [InlineData("nul\0byte", @"'nul\0byte'")]
    [InlineData("line\nbreak\r", @"'line\nbreak\r'")]
    [InlineData("ctrl-z\x1a", @"'ctrl-z\Z'")]
    [InlineData("tab\there", "'tab\there'")]
    [InlineData("pässwörd ☃ 🔑", "'pässwörd ☃ 🔑'")]
    [InlineData("%_", "'%_'")]
    public void Values_are_quoted_for_the_default_sql_mode(string value, string expected)
    {
        Assert.Equal(expected, SqlLiteral.Quote(value));
        Assert.Equal(expected, SqlLiteral.Quote(value, SqlQuoteMode.BackslashEscapes));
    }

    [Theory]
    [InlineData("", "''")]
    [InlineData("it's", "'it''s'")]
    [InlineData(@"back\slash", @"'back\slash'")]
    [InlineData(@"ends with \", @"'ends with \'")]
    [InlineData("nul\0byte", "'nul\0byte'")]
    [InlineData("line\nbreak", "'line\nbreak'")]
    [InlineData("pässwörd 🔑", "'pässwörd 🔑'")]
    public void Values_are_quoted_for_NO_BACKSLASH_ESCAPES(string value, string expected)
    {
        Assert.Equal(expected, SqlLiteral.Quote(value, SqlQuoteMode.NoBackslashEscapes));
    }

    [Theory]
    [InlineData("'")]
    [InlineData(@"\")]
    [InlineData(@"\'")]
    [InlineData(@"a\\'b")]
    [InlineData("x'; DROP TABLE t; --")]
    public void A_default_mode_literal_never_ends_early_under_either_mode(string value)
    {
        var literal = SqlLiteral.Quote(value);

        // Under NO_BACKSLASH_ESCAPES only doubled quotes matter: the body has none left alone.
        var body = literal[1..^1];
        Assert.DoesNotContain(
            "'",
            body.Replace("''", "", StringComparison.Ordinal),
            StringComparison.Ordinal
        );
        // Under the default mode, walking escapes must reach the final quote exactly at the end.
        Assert.Equal(literal.Length - 1, EndOfLiteralWithBackslashEscapes(literal));
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        // Built from chars: a lone surrogate does not survive as attribute data or test-case names.
        Assert.Throws<ArgumentException>(() => SqlLiteral.Quote(new string((char)0xD800, 1)));
        Assert.Throws<ArgumentException>(() => SqlLiteral.Quote("a" + (char)0xDC00 + "b"));
        Assert.Equal("'\U0001F511'", SqlLiteral.Quote("\U0001F511"));
    }

    [Fact]
    public void Numbers_are_rendered_invariantly()
    {
        Assert.Equal("-1234567", SqlLiteral.Number(-1234567L));
        Assert.Equal("18446744073709551615", SqlLiteral.Number(ulong.MaxValue));
    }

    private static int EndOfLiteralWithBackslashEscapes(string literal)
    {
        for (var i = 1; i < literal.Length; i++)
        {
            if (literal[i] == '\\')
            {
                i++;
            }
            else if (literal[i] == '\'')
            {
                if (i + 1 < literal.Length && literal[i + 1] == '\'')
                {
                    i++;
                }
                else
                {
                    return i;
                }
            }
        }

        return -1;
    }
}
