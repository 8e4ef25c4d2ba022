using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;

namespace MysqlAgent.Backup;

/// <summary>
/// <c>GET /backup</c> on the backup port. 401 without the right bearer token, 429 with Retry-After
/// when --max-concurrent-backups are running; otherwise 200 at once (before the tool starts) and a
/// framed body whose end frame tells success or failure: a tool that fails before its first byte
/// still yields 200 and a failed end frame, so a receiver needs only the end frame for the verdict.
/// </summary>
public static class BackupEndpoints
{
    public static IServiceCollection AddBackupServing(this IServiceCollection services)
    {
        services.AddSingleton<BackupTokenAuthenticator>();
        services.AddSingleton<BackupConcurrencyLimiter>();
        services.AddSingleton<BackupToolSelector>();
        services.AddSingleton<BackupStreamer>();
        services.AddHostedService<LegacyStreamServer>();
        return services;
    }

    public static RouteGroupBuilder MapBackupEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("");
        group.MapGet(BackupStreamFormat.Path, ServeAsync);
        return group;
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var metrics = services.GetRequiredService<AgentMetrics>();
        var logger = services
            .GetRequiredService<ILoggerFactory>()
            .CreateLogger(typeof(BackupEndpoints).FullName!);
        var remote = RemoteName(context);
        var response = context.Response;

        // A client certificate the handshake verified against the set's CA stands in for the token.
        var refusal = Tls.BackupHttps.HasVerifiedClientCertificate(context)
            ? null
            : services
                .GetRequiredService<BackupTokenAuthenticator>()
                .Check(context.Request.Headers.Authorization);
        if (refusal is not null)
        {
            BackupLog.Unauthorized(logger, remote, refusal);
            metrics.BackupRejections.WithLabels("unauthorized").Inc();
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = "Bearer";
            await response
                .WriteAsync(
                    $"unauthorized: {refusal}; send 'Authorization: Bearer <token>' with the token from the backup-token Secret (--backup-token-file)\n",
                    context.RequestAborted
                )
                .ConfigureAwait(false);
            return;
        }

        var options = services.GetRequiredService<AgentOptions>();
        var compression = options.StreamCompression;
        if (context.Request.Query[StreamCompression.QueryParameter] is [{ } asked])
        {
            if (!StreamCompression.TryParse(asked, out compression))
            {
                response.StatusCode = StatusCodes.Status400BadRequest;
                await response
                    .WriteAsync(
                        $"bad request: ?{StreamCompression.QueryParameter}={asked} is not {StreamCompression.Syntax}\n",
                        context.RequestAborted
                    )
                    .ConfigureAwait(false);
                return;
            }
        }

        var limiter = services.GetRequiredService<BackupConcurrencyLimiter>();
        if (!limiter.TryAcquire(out var lease))
        {
            BackupLog.Busy(logger, remote, limiter.Active, limiter.Limit);
            metrics.BackupRejections.WithLabels("busy").Inc();
            var retryAfter = (int)BackupConcurrencyLimiter.RetryAfter.TotalSeconds;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await response
                .WriteAsync(
                    $"busy: {limiter.Active} of {limiter.Limit} backups already running on this donor (--max-concurrent-backups); retry in {retryAfter} s\n",
                    context.RequestAborted
                )
                .ConfigureAwait(false);
            return;
        }

        using (lease)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = BackupStreamFormat.ContentType;
            response.Headers.CacheControl = "no-store";
            response.Headers[StreamCompression.ResponseHeader] = compression.ToString();
            if (DataDirSize.TryMeasure(options.DataDir) is { } size)
            {
                response.Headers[BackupStreamFormat.DataDirBytesHeader] = size.ToString(
                    CultureInfo.InvariantCulture
                );
            }
            if (
                await ToolNameAsync(services, context.RequestAborted).ConfigureAwait(false) is
                { } tool
            )
            {
                // Tells the receiver which extractor and prepare tool fit this stream.
                response.Headers[BackupStreamFormat.BackupToolHeader] = tool;
            }

            try
            {
                await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                return;
            }

            // A stopping agent kills its backups at once rather than holding the pod's shutdown:
            // the receiver sees a stream without an end frame and retries elsewhere or later.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(
                context.RequestAborted,
                services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping
            );
            await services
                .GetRequiredService<BackupStreamer>()
                .StreamFramedAsync(response.Body, remote, compression, stop.Token)
                .ConfigureAwait(false);
        }
    }

    /// <summary>The tool's name for the header; null when it cannot be told yet (the stream then reports why).</summary>
    private static async Task<string?> ToolNameAsync(
        IServiceProvider services,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var kind = await services
                .GetRequiredService<BackupToolSelector>()
                .SelectAsync(cancellationToken)
                .ConfigureAwait(false);
            return kind == BackupToolKind.XtraBackup ? "xtrabackup" : "mariabackup";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private static string RemoteName(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{address}:{context.Connection.RemotePort}"
            )
            : "unknown";
}
