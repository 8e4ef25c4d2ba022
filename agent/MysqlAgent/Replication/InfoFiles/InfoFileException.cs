using System.Text;
using MysqlAgent.Errors;

namespace MysqlAgent.Replication.InfoFiles;

/// <summary>
/// A clone's info file does not hold what the backup tools write. The message names the file and
/// what was expected, and quotes at most a short, escaped excerpt: never the whole file.
/// </summary>
public sealed class InfoFileException : AgentException
{
    private const int ExcerptLength = 48;

    public InfoFileException(string path, string expected, string? found = null)
        : base(BuildMessage(path, expected, found))
    {
        Path = path;
    }

    /// <summary>The info file (or, when the problem is the set of files, the data directory).</summary>
    public string Path { get; }

    private static string BuildMessage(string path, string expected, string? found)
    {
        var message = new StringBuilder()
            .Append("clone info file ")
            .Append(path)
            .Append(": expected ")
            .Append(expected);
        if (found is not null)
        {
            message.Append(", found ").Append(Excerpt(found));
        }

        return message
            .Append("; the clone is unusable: delete this replica's data and let it clone again")
            .ToString();
    }

    /// <summary>The start of <paramref name="text"/>, quoted, with control characters escaped, so a log line stays one line.</summary>
    internal static string Excerpt(string text)
    {
        var excerpt = new StringBuilder("\"");
        foreach (var c in text.Length > ExcerptLength ? text[..ExcerptLength] : text)
        {
            _ = c switch
            {
                '\n' => excerpt.Append("\\n"),
                '\r' => excerpt.Append("\\r"),
                '\t' => excerpt.Append("\\t"),
                '"' => excerpt.Append("\\\""),
                '\\' => excerpt.Append("\\\\"),
                _ when char.IsControl(c) || char.IsSurrogate(c) => excerpt.Append(
                    $"\\u{(int)c:x4}"
                ),
                _ => excerpt.Append(c),
            };
        }

        excerpt.Append('"');
        if (text.Length > ExcerptLength)
        {
            excerpt.Append("...");
        }

        return excerpt.ToString();
    }
}
