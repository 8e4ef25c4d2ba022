namespace MysqlAgent.Common;

/// <summary>
/// What a <see cref="RouteForwarder"/> tells its owner (the local set's log, the agent's logs and
/// metrics): the route when it changes, and the connections it forwards, refuses and cuts.
/// </summary>
internal interface IForwarderEvents
{
    /// <summary>The route or a refusal's reason; called only when the text changes, not per connection.</summary>
    void Noted(string text);

    /// <summary>A connection was forwarded to <paramref name="route"/>'s holder and is open.</summary>
    void Forwarded(ForwardRoute route);

    /// <summary>A forwarded connection ended (either side closed, or it was cut).</summary>
    void Ended();

    /// <summary>A connection was refused with a reset: no route after the hold, or the holder's mysqld did not answer.</summary>
    void Refused();

    /// <summary>
    /// <paramref name="count"/> connections forwarded to <paramref name="holder"/> in
    /// <paramref name="term"/> were cut because the route is now <paramref name="now"/>.
    /// </summary>
    void Cut(ForwardRoute now, string holder, long term, int count);
}
