namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// What <see cref="BinlogChain.Plan"/> decided: the files to replay in order and the position they
/// reach, or one line saying why the target cannot be reached.
/// </summary>
public sealed record BinlogChainPlan(
    IReadOnlyList<BinlogChainStep> Steps,
    BinlogCoverage Reached,
    string? Refusal
)
{
    public bool IsRefused => Refusal is not null;

    public static BinlogChainPlan Refused(BinlogCoverage start, string refusal) =>
        new([], start, refusal);
}
