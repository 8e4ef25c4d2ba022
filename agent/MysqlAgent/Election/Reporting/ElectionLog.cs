using Microsoft.Extensions.Logging;

namespace MysqlAgent.Election;

/// <summary>Election and failover events (5xxx): every step that changes something, never one line per renewal.</summary>
public static partial class ElectionLog
{
    [LoggerMessage(
        5000,
        LogLevel.Information,
        "election: started as {Identity} on lease store {Store} (lease {LeaseSeconds} s, renew deadline {RenewSeconds} s, retry {RetrySeconds} s, fence budget {FenceSeconds} s, primary start timeout {StartTimeoutSeconds} s)"
    )]
    public static partial void Started(
        ILogger logger,
        string identity,
        string store,
        double leaseSeconds,
        double renewSeconds,
        double retrySeconds,
        double fenceSeconds,
        double startTimeoutSeconds
    );

    [LoggerMessage(
        5001,
        LogLevel.Information,
        "election: {Event} as {Role}; holder '{Holder}', term {Term}: {Detail}"
    )]
    public static partial void Stepped(
        ILogger logger,
        string @event,
        string role,
        string holder,
        long term,
        string detail
    );

    [LoggerMessage(
        5002,
        LogLevel.Information,
        "election: promoting in term {Term}: stop fetching, apply the relay log up to {Received}"
    )]
    public static partial void Promoting(ILogger logger, long term, string received);

    [LoggerMessage(
        5003,
        LogLevel.Information,
        "election: promoted in term {Term}: writable, fork point {ForkPoint}, {ElapsedMs} ms"
    )]
    public static partial void Promoted(
        ILogger logger,
        long term,
        string forkPoint,
        long elapsedMs
    );

    [LoggerMessage(
        5004,
        LogLevel.Warning,
        "election: promotion in term {Term} not finished: {Why}; the next step tries again while the Lease is held"
    )]
    public static partial void PromotionPending(ILogger logger, long term, string why);

    [LoggerMessage(5005, LogLevel.Warning, "election: fencing mysqld: {Why}")]
    public static partial void Fencing(ILogger logger, string why);

    [LoggerMessage(
        5006,
        LogLevel.Information,
        "election: fenced in {ElapsedMs} ms: read-only, {Killed} client connection(s) killed"
    )]
    public static partial void Fenced(ILogger logger, long elapsedMs, int killed);

    [LoggerMessage(
        5007,
        LogLevel.Error,
        "election: fencing did not finish within the fence budget ({BudgetSeconds} s): {Error}"
    )]
    public static partial void FenceFailed(ILogger logger, double budgetSeconds, string error);

    [LoggerMessage(
        5008,
        LogLevel.Information,
        "election: following {Holder} (term {Term}) at {Source}: {Statements} statement(s)"
    )]
    public static partial void Rejoining(
        ILogger logger,
        string holder,
        long term,
        string source,
        int statements
    );

    [LoggerMessage(
        5009,
        LogLevel.Information,
        "election: replicating from {Holder} in term {Term}"
    )]
    public static partial void Rejoined(ILogger logger, string holder, long term);

    [LoggerMessage(
        5010,
        LogLevel.Error,
        "election: errant transactions {Errant} beyond the fork point {ForkPoint} of term {Term}: staying read-only and unready; re-clone this pod to bring it back"
    )]
    public static partial void Errant(ILogger logger, string errant, string forkPoint, long term);

    [LoggerMessage(
        5012,
        LogLevel.Information,
        "election: {Peer} is ahead ({PeerPosition} vs {OwnPosition}): handing the Lease to it"
    )]
    public static partial void HandingOver(
        ILogger logger,
        string peer,
        string peerPosition,
        string ownPosition
    );

    [LoggerMessage(
        5013,
        LogLevel.Warning,
        "election: mysqld has been down for {DownSeconds} s (primary start timeout {TimeoutSeconds} s): releasing the Lease of term {Term} for a failover"
    )]
    public static partial void Releasing(
        ILogger logger,
        double downSeconds,
        double timeoutSeconds,
        long term
    );

    [LoggerMessage(
        5014,
        LogLevel.Warning,
        "election: mysqld is writable but this pod does not hold the Lease (holder '{Holder}', term {Term})"
    )]
    public static partial void WritableWithoutLease(ILogger logger, string holder, long term);

    [LoggerMessage(
        5015,
        LogLevel.Error,
        "election: a step failed unexpectedly (a bug); stepping again at the next retry period"
    )]
    public static partial void StepCrashed(ILogger logger, Exception exception);

    [LoggerMessage(5016, LogLevel.Information, "election: peers {Peers}")]
    public static partial void Peers(ILogger logger, string peers);

    [LoggerMessage(5017, LogLevel.Warning, "election: {What} failed: {Error}")]
    public static partial void ActionFailed(ILogger logger, string what, string error);

    [LoggerMessage(
        5018,
        LogLevel.Information,
        "switchover: asked {Holder} (term {Term}) to hand the primary role to {Target}"
    )]
    public static partial void SwitchoverRequested(
        ILogger logger,
        string holder,
        long term,
        string target
    );

    [LoggerMessage(
        5019,
        LogLevel.Information,
        "switchover to {Target} in term {Term}: read-only and client connections killed, waiting for it to catch up to {Position}"
    )]
    public static partial void SwitchoverStarted(
        ILogger logger,
        string target,
        long term,
        string position
    );

    [LoggerMessage(
        5020,
        LogLevel.Information,
        "switchover to {Target} done: Lease handed over in term {Term}; writes paused here for {PauseMs} ms (until the new primary is writable add its promotion)"
    )]
    public static partial void SwitchedOver(ILogger logger, string target, long term, long pauseMs);

    [LoggerMessage(
        5021,
        LogLevel.Warning,
        "switchover to {Target} aborted: {Why}; writable again in term {Term}"
    )]
    public static partial void SwitchoverAborted(
        ILogger logger,
        string target,
        string why,
        long term
    );

    [LoggerMessage(5022, LogLevel.Warning, "switchover refused: {Why}")]
    public static partial void SwitchoverRefused(ILogger logger, string why);

    [LoggerMessage(
        5023,
        LogLevel.Information,
        "switchover done: {Holder} is the primary in term {Term}"
    )]
    public static partial void SwitchoverConfirmed(ILogger logger, string holder, long term);

    [LoggerMessage(
        5024,
        LogLevel.Information,
        "semi-synchronous replication on in term {Term}: each commit now waits until a replica has it"
    )]
    public static partial void SemiSyncOn(ILogger logger, long term);

    [LoggerMessage(
        5025,
        LogLevel.Warning,
        "semi-synchronous replication is not available on this server (MySQL: load the semisync_source and semisync_replica plugins): commits do not wait for a replica, and a failover can lose the last acknowledged ones"
    )]
    public static partial void SemiSyncUnavailable(ILogger logger);

    [LoggerMessage(
        5026,
        LogLevel.Warning,
        "the pod stops without a switchover: {Why}; the others take over when its Lease expires"
    )]
    public static partial void PreStopSwitchoverFailed(ILogger logger, string why);

    [LoggerMessage(
        5027,
        LogLevel.Warning,
        "term {Term}: no replica that acknowledges connected within {Seconds} s; writable without semi-sync until one does (what is written until then is on this server only)"
    )]
    public static partial void PromotedWithoutReplica(ILogger logger, long term, double seconds);

    [LoggerMessage(
        5028,
        LogLevel.Information,
        "term {Term}: took the primary label off {Pod}, which held the Lease before (labelled demoted until its own agent writes its role)"
    )]
    public static partial void DemotedOldHolder(ILogger logger, string pod, long term);

    [LoggerMessage(
        5029,
        LogLevel.Warning,
        "automatic failover {State} (term {Term}, holder '{Holder}'){Already}: {Meaning}"
    )]
    public static partial void PauseSet(
        ILogger logger,
        string state,
        long term,
        string holder,
        string already,
        string meaning
    );

    [LoggerMessage(
        5030,
        LogLevel.Information,
        "term {Term}: stopped fetching from the old primary {Source} ({Milliseconds} ms), so that it gets no acknowledgement from this server; following {Holder} once it records its fork point"
    )]
    public static partial void StoppedFetching(
        ILogger logger,
        long term,
        string source,
        long milliseconds,
        string holder
    );

    [LoggerMessage(
        5031,
        LogLevel.Error,
        "two primaries: {Pods} report a writable mysqld while the Lease names '{Holder}' (term {Term}); a follower among them fences itself, an old primary whose agent is gone must be stopped by hand"
    )]
    public static partial void TwoPrimaries(ILogger logger, string pods, string holder, long term);

    [LoggerMessage(
        5032,
        LogLevel.Warning,
        "election: errant transactions {Errant}: --reclone-errant asked for a fresh clone from {Donor} ({Request}) and deleted this pod; its clone container keeps the datadir aside"
    )]
    public static partial void RecloneRequested(
        ILogger logger,
        string errant,
        string donor,
        string request
    );

    [LoggerMessage(
        5033,
        LogLevel.Warning,
        "election: {Pod}, the primary before term {Term}, still answers writable: fencing it from here"
    )]
    public static partial void LastPrimaryWritable(ILogger logger, string pod, long term);

    [LoggerMessage(
        5034,
        LogLevel.Information,
        "election: {Pod}, the primary before term {Term}, is read-only: nothing to fence"
    )]
    public static partial void LastPrimaryReadOnly(ILogger logger, string pod, long term);

    [LoggerMessage(
        5035,
        LogLevel.Information,
        "election: {Pod} does not answer at the start of term {Term} ({Error}): not fenced from here (down, frozen or cut off; an old primary fences itself once it runs again)"
    )]
    public static partial void PeerUnreachable(ILogger logger, string pod, long term, string error);

    [LoggerMessage(
        5036,
        LogLevel.Warning,
        "election: {Pod} still fetched from {LastPrimary}, the primary before term {Term}: stopped its fetch from here (its agent did not)"
    )]
    public static partial void StoppedPeerFetching(
        ILogger logger,
        string pod,
        string lastPrimary,
        long term
    );

    [LoggerMessage(5037, LogLevel.Information, "election: {Sentence}")]
    public static partial void Turn(ILogger logger, string sentence);
}
