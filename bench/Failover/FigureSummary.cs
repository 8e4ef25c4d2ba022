namespace MysqlBench.Failover;

/// <summary>Median, worst (largest) and best (smallest) of a figure's runs, in seconds.</summary>
internal sealed record FigureSummary(double Median, double Worst, double Best, int Runs)
{
    public static FigureSummary Of(IReadOnlyCollection<double> seconds) =>
        seconds.Count == 0
            ? new(double.NaN, double.NaN, double.NaN, 0)
            : new(Stats.Median(seconds), seconds.Max(), seconds.Min(), seconds.Count);
}
