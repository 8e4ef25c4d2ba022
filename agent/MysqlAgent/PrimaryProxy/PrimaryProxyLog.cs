using Microsoft.Extensions.Logging;

namespace MysqlAgent.PrimaryProxy;

/// <summary>Primary proxy events (70xx): logged when the route changes and at each cut, never once per connection.</summary>
internal static partial class PrimaryProxyLog
{
    [LoggerMessage(
        7000,
        LogLevel.Information,
        "primary proxy: listening on {Address}:{Port}, forwarding to the primary's mysqld (a TCP relay: TLS stays end to end)"
    )]
    public static partial void Listening(ILogger logger, string address, int port);

    [LoggerMessage(7001, LogLevel.Information, "primary proxy: {Route}")]
    public static partial void RouteChanged(ILogger logger, string route);

    [LoggerMessage(
        7002,
        LogLevel.Information,
        "primary proxy: the Lease names {Holder} in term {Term}: cut {Count} connection(s) forwarded to {OldHolder} in term {OldTerm}"
    )]
    public static partial void Cut(
        ILogger logger,
        string holder,
        long term,
        int count,
        string oldHolder,
        long oldTerm
    );

    [LoggerMessage(
        7003,
        LogLevel.Error,
        "primary proxy: cannot listen on {Address}:{Port}: {Error}; free the port or change --primary-proxy-port"
    )]
    public static partial void CannotListen(ILogger logger, string address, int port, string error);
}
