using System.Runtime.Versioning;
using MysqlLocal.Monitoring;

namespace MysqlAgent.Tests.Local;

/// <summary>The reason 'up --monitor' gives when Prometheus exits at start: the error its log ends with.</summary>
[SupportedOSPlatform("linux")]
public sealed class PrometheusProcessTests : IDisposable
{
    private readonly string _log = Path.Combine(
        Directory.CreateTempSubdirectory("prometheus-log-").FullName,
        "prometheus.log"
    );

    [Fact]
    public void The_last_error_line_of_the_log_gives_its_err_text()
    {
        // As Debian's prometheus 2.42 logs a port that is taken.
        File.WriteAllLines(
            _log,
            [
                "ts=2026-12-07T12:15:28.515Z caller=main.go:559 level=info vm_limits=\"(soft=unlimited, hard=unlimited)\"",
                "ts=2026-12-07T12:15:28.516Z caller=main.go:600 level=error msg=\"an earlier error\" err=\"not this one\"",
                "ts=2026-12-07T12:15:28.518Z caller=web.go:503 level=info component=web msg=\"Start listening for connections\" address=127.0.0.1:24704",
                "ts=2026-12-07T12:15:28.518Z caller=main.go:802 level=error msg=\"Unable to start web listener\" err=\"listen tcp 127.0.0.1:24704: bind: address already in use\"",
            ]
        );

        Assert.Equal(
            "listen tcp 127.0.0.1:24704: bind: address already in use",
            PrometheusProcess.LastError(_log)
        );
    }

    [Fact]
    public void An_error_line_without_err_is_given_whole_and_a_log_without_errors_or_no_log_gives_none()
    {
        const string line =
            "ts=2026-12-07T12:15:28.518Z caller=main.go:700 level=error msg=\"Error loading config\"";
        File.WriteAllLines(_log, ["ts=… level=info msg=\"Starting Prometheus\"", line]);
        Assert.Equal(line, PrometheusProcess.LastError(_log));

        File.WriteAllLines(_log, ["ts=… level=info msg=\"Starting Prometheus\""]);
        Assert.Null(PrometheusProcess.LastError(_log));

        Assert.Null(PrometheusProcess.LastError(_log + ".missing"));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_log)!, recursive: true);
}
