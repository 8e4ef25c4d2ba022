using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MysqlAgent.Backup;
using MysqlAgent.Health;
using MysqlAgent.Metrics;

namespace MysqlAgent.Archive.Schedule;

/// <summary>
/// <c>POST /backups/scheduled?tick=&lt;id&gt;</c> on the backup port of every pod: the scheduled
/// backups' primary asks the pod it chose to take a tick. Authenticated as <c>GET /backup</c> (the
/// bearer token, or a client certificate from the set's CA). 202 when the backup started in the
/// background (into this pod's own <c>--target</c>), with its id; 409 when a backup to storage
/// already runs here, or this pod already took that tick (the body names it: the same tick means
/// taken); 429 while clones use every slot of <c>--max-concurrent-backups</c>; 400 for a bad tick;
/// 401 without the token; 503 without <c>--target</c>.
/// </summary>
public static class ScheduledBackupEndpoints
{
    public const string Path = "/backups/scheduled";

    public static IEndpointConventionBuilder MapScheduledBackupEndpoints(
        this IEndpointRouteBuilder endpoints
    ) => endpoints.MapPost(ScheduledBackupEndpoints.Path, TriggerAsync);

    private static async Task TriggerAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var response = context.Response;
        var remote = context.Connection.RemoteIpAddress is { } address
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{address}:{context.Connection.RemotePort}"
            )
            : "unknown";
        var refusal = Tls.BackupHttps.HasVerifiedClientCertificate(context)
            ? null
            : services
                .GetRequiredService<BackupTokenAuthenticator>()
                .Check(context.Request.Headers.Authorization);
        if (refusal is not null)
        {
            var logger = services
                .GetRequiredService<ILoggerFactory>()
                .CreateLogger(typeof(BackupEndpoints).FullName!);
            BackupLog.Unauthorized(logger, remote, refusal);
            services
                .GetRequiredService<AgentMetrics>()
                .BackupRejections.WithLabels("unauthorized")
                .Inc();
            response.Headers.WWWAuthenticate = "Bearer";
            await TextAsync(
                    context,
                    StatusCodes.Status401Unauthorized,
                    $"unauthorized: {refusal}; send 'Authorization: Bearer <token>' with the backup token"
                )
                .ConfigureAwait(false);
            return;
        }

        var tick = context.Request.Query["tick"] is [{ } text] ? text : null;
        if (!BackupSchedule.TryParseTick(tick, out _))
        {
            await TextAsync(
                    context,
                    StatusCodes.Status400BadRequest,
                    $"bad request: ?tick={tick} is not a tick id (UTC time as {BackupSchedule.TickFormat.Replace("'", "", StringComparison.Ordinal)}, e.g. 20261207T030000Z)"
                )
                .ConfigureAwait(false);
            return;
        }

        var start = services
            .GetRequiredService<StorageBackupRunner>()
            .TryStart(tick, "the scheduled backups' primary at " + remote);
        switch (start.Result)
        {
            case BackupStartResult.Started:
                await JsonAsync(context, StatusCodes.Status202Accepted, start.Run!)
                    .ConfigureAwait(false);
                break;
            case BackupStartResult.Running or BackupStartResult.Taken:
                await JsonAsync(context, StatusCodes.Status409Conflict, start.Run!)
                    .ConfigureAwait(false);
                break;
            case BackupStartResult.Busy:
                response.Headers.RetryAfter = (
                    (int)BackupConcurrencyLimiter.RetryAfter.TotalSeconds
                ).ToString(CultureInfo.InvariantCulture);
                await TextAsync(
                        context,
                        StatusCodes.Status429TooManyRequests,
                        "busy: every --max-concurrent-backups slot of this pod serves a backup stream"
                    )
                    .ConfigureAwait(false);
                break;
            default:
                await TextAsync(
                        context,
                        StatusCodes.Status503ServiceUnavailable,
                        "this agent has no --target: give every pod the same --target as the primary"
                    )
                    .ConfigureAwait(false);
                break;
        }
    }

    private static Task TextAsync(HttpContext context, int status, string line)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(line + "\n", context.RequestAborted);
    }

    private static Task JsonAsync(HttpContext context, int status, BackupRunningDocument run)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(
            JsonSerializer.Serialize(run, StatusJsonContext.Default.BackupRunningDocument) + "\n",
            context.RequestAborted
        );
    }
}
