using MysqlAgent.Errors;

namespace MysqlAgent.Election;

/// <summary>
/// The election's clock settings (client-go's and Patroni's shape). The defaults give an
/// unplanned failover within about 25 s; <see cref="Validate"/> refuses combinations under which a
/// primary could still be writable when another agent may take the Lease.
/// </summary>
/// <param name="LeaseDuration">How long others wait, by their own clock, after they last saw the record change.</param>
/// <param name="RenewDeadline">How long the holder keeps trying to renew before it fences itself.</param>
/// <param name="RetryPeriod">The interval between two attempts (acquire or renew).</param>
/// <param name="FenceBudget">How long self-fencing (read-only, kill connections) may take.</param>
/// <param name="ApiCallTimeout">The time limit of one store call.</param>
public sealed record ElectionTimings(
    TimeSpan LeaseDuration,
    TimeSpan RenewDeadline,
    TimeSpan RetryPeriod,
    TimeSpan FenceBudget,
    TimeSpan ApiCallTimeout
)
{
    /// <summary>Client-go's ratio: renewal must get more than one retry inside its deadline.</summary>
    public const double RetryJitterFactor = 1.2;

    public static ElectionTimings Default { get; } =
        new(
            TimeSpan.FromSeconds(15),
            TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(2),
            TimeSpan.FromSeconds(3),
            TimeSpan.FromSeconds(2)
        );

    /// <summary>Every problem, in one message each; empty when the timings are safe.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Positive(string name, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{name} must be positive (it is {Seconds(value)})");
            }
        }

        Positive("lease duration", LeaseDuration);
        Positive("renew deadline", RenewDeadline);
        Positive("retry period", RetryPeriod);
        Positive("fence budget", FenceBudget);
        Positive("API call timeout", ApiCallTimeout);
        if (RenewDeadline + FenceBudget >= LeaseDuration)
        {
            problems.Add(
                $"renew deadline + fence budget ({Seconds(RenewDeadline)} + {Seconds(FenceBudget)}) must be less than the lease duration ({Seconds(LeaseDuration)}): "
                    + "otherwise a peer may take the Lease while the old primary is still writable; raise the lease duration or lower the other two"
            );
        }

        if (RenewDeadline <= RetryPeriod * RetryJitterFactor)
        {
            problems.Add(
                $"renew deadline ({Seconds(RenewDeadline)}) must be more than {RetryJitterFactor} x retry period ({Seconds(RetryPeriod * RetryJitterFactor)}): "
                    + "otherwise one slow attempt makes the primary fence itself; raise the renew deadline or lower the retry period"
            );
        }

        if (ApiCallTimeout >= RenewDeadline)
        {
            problems.Add(
                $"API call timeout ({Seconds(ApiCallTimeout)}) must be less than the renew deadline ({Seconds(RenewDeadline)}): one hung call would use the whole deadline"
            );
        }

        return problems;
    }

    /// <exception cref="ElectionTimingsException">The timings are unsafe; the message lists every problem.</exception>
    public ElectionTimings Validate()
    {
        var problems = Problems();
        return problems.Count == 0 ? this : throw new ElectionTimingsException(problems);
    }

    private static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)
        + " s";
}

/// <summary>The election timings are unsafe; <see cref="Problems"/> lists each one.</summary>
public sealed class ElectionTimingsException : AgentException
{
    public ElectionTimingsException(IReadOnlyList<string> problems)
        : base("election timings refused: " + string.Join("; ", problems)) => Problems = problems;

    public IReadOnlyList<string> Problems { get; }
}
