using Polly;
using Polly.Timeout;

namespace MysqlAgent.Election;

/// <summary>One step of the elector, cut short at the renew deadline for a holder: past it, the holder has lost the Lease whatever the store says later.</summary>
public sealed class DeadlineStep
{
    private static readonly ResiliencePropertyKey<TimeSpan> Budget = new("election-step-budget");
    private readonly LeaderElector _elector;
    private readonly ResiliencePipeline _timeout;

    public DeadlineStep(LeaderElector elector, TimeProvider time)
    {
        _elector = elector;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(
                new TimeoutStrategyOptions
                {
                    TimeoutGenerator = args =>
                        ValueTask.FromResult(
                            args.Context.Properties.GetValue(Budget, TimeSpan.Zero)
                        ),
                }
            )
            .Build();
    }

    public async Task<ElectionStep> StepAsync(
        CandidateStatus self,
        Task<IReadOnlyList<CandidateStatus>> peers,
        bool mayCreate,
        CancellationToken cancellationToken
    )
    {
        if (_elector.UntilRenewDeadline is not { } left)
        {
            return await _elector
                .StepAsync(self, peers, mayCreate, cancellationToken)
                .ConfigureAwait(false);
        }

        if (left <= TimeSpan.Zero)
        {
            return _elector.CheckRenewDeadline() ?? Failed("deadline");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Budget, left);
        try
        {
            return await _timeout
                .ExecuteAsync(
                    static async (ctx, state) =>
                        await state
                            .Elector.StepAsync(
                                state.Self,
                                state.Peers,
                                state.MayCreate,
                                ctx.CancellationToken
                            )
                            .ConfigureAwait(false),
                    context,
                    (Elector: _elector, Self: self, Peers: peers, MayCreate: mayCreate)
                )
                .ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            return _elector.CheckRenewDeadline()
                ?? Failed("the store did not answer before the renew deadline");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ElectionStep Failed(string why) =>
        new(ElectorRole.Leader, ElectionEvent.RenewFailed, _elector.Lease, false, why);
}
