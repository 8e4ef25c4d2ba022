using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Docs;

/// <summary>Every relative link and anchor in README.md and docs/ leads somewhere.</summary>
public sealed class LinkTests
{
    [Fact]
    public void Every_relative_link_and_anchor_in_the_docs_resolves()
    {
        var broken = new List<string>();
        var pages = MarkdownPages.All();
        Assert.Contains("docs/index.md", pages);
        foreach (var page in pages)
        {
            var folder =
                Path.GetDirectoryName(page.Replace('/', Path.DirectorySeparatorChar)) ?? "";
            foreach (var (path, anchor, raw) in MarkdownPages.Links(MarkdownPages.Read(page)))
            {
                var target =
                    path.Length == 0
                        ? page
                        : Path.GetRelativePath(
                                Repository.Root,
                                Path.GetFullPath(Path.Combine(Repository.Root, folder, path))
                            )
                            .Replace('\\', '/');
                var full = Repository.Of(target.Split('/'));
                if (!File.Exists(full) && !Directory.Exists(full))
                {
                    broken.Add($"{page}: ({raw}): {target} does not exist");
                    continue;
                }

                if (
                    anchor is not null
                    && target.EndsWith(".md", StringComparison.Ordinal)
                    && !MarkdownPages.Anchors(File.ReadAllText(full)).Contains(anchor)
                )
                {
                    broken.Add(
                        $"{page}: ({raw}): {target} has no heading with the anchor #{anchor}"
                    );
                }
            }
        }

        Assert.True(broken.Count == 0, "broken links:\n  " + string.Join("\n  ", broken));
    }

    [Theory]
    [InlineData("Automatic failover (optional)", "automatic-failover-optional")]
    [InlineData("`/status` fields", "status-fields")]
    [InlineData(
        "TLS for backups and replication, step 2: the Secret",
        "tls-for-backups-and-replication-step-2-the-secret"
    )]
    [InlineData("mysql-agent_x", "mysql-agent_x")]
    [InlineData("Élection et bascule", "élection-et-bascule")]
    public void Anchors_follow_GitHubs_rules(string heading, string anchor) =>
        Assert.Equal(anchor, MarkdownPages.Slug(heading));

    [Fact]
    public void A_repeated_heading_gets_a_numbered_anchor_and_a_missing_one_is_found()
    {
        var anchors = MarkdownPages.Anchors(
            "# Title\n\n## Options\n\ntext\n\n## Options\n\n```\n# not a heading\n```\n"
        );
        Assert.Equal(
            ["options", "options-1", "title"],
            anchors.Order(StringComparer.Ordinal).ToArray()
        );
    }
}
