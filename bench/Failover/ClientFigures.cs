namespace MysqlBench.Failover;

/// <summary>One client kind's figures over a scenario's runs: its write gap, and how much of it came after the failover itself.</summary>
internal sealed record ClientFigures(
    string Client,
    FailoverScenario Scenario,
    FigureSummary GapSeconds,
    FigureSummary BeyondFailoverSeconds
)
{
    public static IReadOnlyList<ClientFigures> Of(IReadOnlyList<FailoverRun> runs) =>
        [
            .. runs.SelectMany(r => r.Clients.Select(c => (r.Scenario, Client: c)))
                .GroupBy(x => (x.Scenario, x.Client.Client))
                .OrderBy(g => g.Key.Scenario)
                .ThenBy(g => g.Key.Client, StringComparer.Ordinal)
                .Select(g => new ClientFigures(
                    g.Key.Client,
                    g.Key.Scenario,
                    FigureSummary.Of(g.Select(x => x.Client.GapSeconds).OfType<double>().ToList()),
                    FigureSummary.Of(
                        g.Select(x => x.Client.BeyondFailoverSeconds).OfType<double>().ToList()
                    )
                )),
        ];
}
