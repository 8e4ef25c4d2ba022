using MysqlAgent.Clone;
using MysqlAgent.Configuration;

namespace MysqlAgent.Tests.Clone;

public sealed class StreamToolTests
{
    private static AgentOptions Options(
        BackupToolKind tool = BackupToolKind.Auto,
        string? streamTool = null
    ) =>
        CloneTestOptions.Create("/tmp/x", ordinal: 1) with
        {
            BackupTool = tool,
            StreamToolPath = streamTool,
        };

    [Theory]
    [InlineData("mariabackup", "mbstream", "mariabackup")]
    [InlineData("xtrabackup", "xbstream", "xtrabackup")]
    public void The_donors_header_names_the_family(
        string header,
        string extractor,
        string preparer
    ) =>
        Assert.Equal(
            new StreamTool(extractor, preparer),
            StreamTool.Choose(Options(), header, _ => true)
        );

    [Fact]
    public void Without_a_header_mbstream_on_PATH_wins() =>
        Assert.Equal(StreamTool.MariaDb, StreamTool.Choose(Options(), null, n => n == "mbstream"));

    [Fact]
    public void Without_a_header_or_mbstream_it_is_xbstream() =>
        Assert.Equal(StreamTool.MySql, StreamTool.Choose(Options(), null, _ => false));

    [Fact]
    public void An_explicit_path_wins_over_the_header() =>
        Assert.Equal(
            "/opt/xbstream",
            StreamTool
                .Choose(Options(streamTool: "/opt/xbstream"), "mariabackup", _ => true)
                .Extractor
        );

    [Fact]
    public void An_explicit_backup_tool_is_used_without_a_header() =>
        Assert.Equal(
            StreamTool.MySql,
            StreamTool.Choose(Options(BackupToolKind.XtraBackup), null, _ => true)
        );
}
