namespace MysqlAgent.Hosting;

/// <summary>
/// Ties endpoints to the local port they are served on (backups on 3307, the rest on 8080), by the
/// port the connection arrived at rather than the Host header, so port-forwards, proxies and
/// Services that remap ports still reach them.
/// </summary>
public static class LocalPortRouting
{
    public static TBuilder RequireLocalPort<TBuilder>(this TBuilder builder, int port)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new LocalPortMetadata(port));

    /// <summary>Answers 404 when a request reaches an endpoint on another port than its own.</summary>
    public static IApplicationBuilder UseLocalPortRouting(this IApplicationBuilder app) =>
        app.Use(
            (context, next) =>
            {
                var required = context.GetEndpoint()?.Metadata.GetMetadata<LocalPortMetadata>();
                if (required is not null && required.Port != context.Connection.LocalPort)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            }
        );
}
