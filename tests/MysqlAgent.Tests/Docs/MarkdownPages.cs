using System.Text;
using System.Text.RegularExpressions;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Docs;

/// <summary>
/// The repository's Markdown as the docs tests read it: the pages, their tables, links, headings
/// (with GitHub's anchors) and the code they show.
/// </summary>
internal static partial class MarkdownPages
{
    /// <summary>README.md and every page under docs/, as paths relative to the repository root with '/'.</summary>
    public static IReadOnlyList<string> All()
    {
        var docs = Repository.Of("docs");
        var pages = Directory
            .EnumerateFiles(docs, "*.md", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        pages.Insert(0, "README.md");
        return pages;
    }

    /// <summary>The user's pages: README.md and docs/user/.</summary>
    public static IReadOnlyList<string> UserPages() =>
        All()
            .Where(p => p == "README.md" || p.StartsWith("docs/user/", StringComparison.Ordinal))
            .ToList();

    public static string Read(string page) => File.ReadAllText(Repository.Of(page.Split('/')));

    /// <summary>The text without fenced code blocks and inline code, where a link is a link.</summary>
    public static string Prose(string text)
    {
        var withoutFences = FencedBlock()
            .Replace(text, m => new string('\n', m.Value.Count(c => c == '\n')));
        return InlineCode().Replace(withoutFences, "");
    }

    /// <summary>Every fenced block's lines and every inline code span, one entry each.</summary>
    public static IEnumerable<string> Code(string text)
    {
        foreach (Match block in FencedBlock().Matches(text))
        {
            foreach (var line in block.Groups["body"].Value.Split('\n'))
            {
                yield return line;
            }
        }

        // Indented blocks (four spaces after a blank line) are how the pages show commands.
        var lines = FencedBlock().Replace(text, "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (
                lines[i].StartsWith("    ", StringComparison.Ordinal)
                && !lines[i].TrimStart().StartsWith('-')
                && IndentedBlockAt(lines, i)
            )
            {
                yield return lines[i];
            }
        }

        foreach (Match span in InlineCode().Matches(FencedBlock().Replace(text, "")))
        {
            yield return span.Groups["code"].Value;
        }
    }

    // An indented line belongs to a code block when the block it is in started after a blank line.
    private static bool IndentedBlockAt(string[] lines, int i)
    {
        var start = i;
        while (start > 0 && lines[start - 1].StartsWith("    ", StringComparison.Ordinal))
        {
            start--;
        }

        return start == 0 || lines[start - 1].Trim().Length == 0;
    }

    /// <summary>The links of a page: (target path or empty, anchor or null), external ones left out.</summary>
    public static IEnumerable<(string Path, string? Anchor, string Raw)> Links(string text)
    {
        foreach (Match m in Link().Matches(Prose(text)))
        {
            var target = m.Groups["target"].Value.Trim();
            if (
                target.Contains("://", StringComparison.Ordinal)
                || target.StartsWith("mailto:", StringComparison.Ordinal)
            )
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            yield return hash < 0
                ? (target, null, target)
                : (target[..hash], target[(hash + 1)..], target);
        }
    }

    /// <summary>GitHub's anchors of a page's headings (lowercase, spaces to '-', punctuation dropped, repeats numbered).</summary>
    public static IReadOnlySet<string> Anchors(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(FencedBlock().Replace(text, "")))
        {
            var slug = Slug(heading.Groups["title"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    public static string Slug(string title)
    {
        var text = LinkInHeading().Replace(title.Trim(), "${text}");
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    /// <summary>The rows of every table on a page (header and separator rows left out), cells trimmed.</summary>
    public static IReadOnlyList<string[]> Rows(string text)
    {
        var rows = new List<string[]>();
        var lines = FencedBlock().Replace(text, "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|'))
            {
                continue;
            }

            var isHeader = i + 1 < lines.Length && Separator().IsMatch(lines[i + 1].Trim());
            if (isHeader || Separator().IsMatch(line))
            {
                continue;
            }

            rows.Add(Cells(line));
        }

        return rows;
    }

    /// <summary>The part of a page under a level-2 heading (up to the next one).</summary>
    public static string Section(string text, string heading)
    {
        var start = text.IndexOf("\n## " + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '## {heading}'");
        var end = text.IndexOf("\n## ", start + 4, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    private static string[] Cells(string line)
    {
        var inner = line.Trim().TrimStart('|');
        if (inner.EndsWith('|') && !inner.EndsWith("\\|", StringComparison.Ordinal))
        {
            inner = inner[..^1];
        }

        return EscapedPipe()
            .Split(inner)
            .Select(c => c.Replace("\\|", "|", StringComparison.Ordinal).Trim())
            .ToArray();
    }

    [GeneratedRegex(
        @"^```[^\n]*\n(?<body>.*?)^```[ \t]*$",
        RegexOptions.Multiline | RegexOptions.Singleline
    )]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"`(?<code>[^`\n]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}[ \t]+(?<title>.+?)[ \t]*#*[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkInHeading();

    [GeneratedRegex(@"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex EscapedPipe();
}
