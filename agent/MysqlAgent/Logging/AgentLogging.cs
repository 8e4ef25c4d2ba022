using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using MysqlAgent.Configuration;

namespace MysqlAgent.Logging;

/// <summary>
/// Logs for <c>kubectl logs</c>: one line per event with a UTC timestamp, the level, the category
/// and the event id; or one JSON object per line for log pipelines (<c>--log-format json</c>).
/// </summary>
public static class AgentLogging
{
    public static void Configure(ILoggingBuilder logging, LogFormat format, LogLevel level)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        // Kestrel and the hosting lifetime are chatty at Information; keep their warnings.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.IncludeScopes = false;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.IncludeScopes = false;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    }

    public static ILoggerFactory CreateFactory(LogFormat format, LogLevel level) =>
        LoggerFactory.Create(logging => Configure(logging, format, level));
}
