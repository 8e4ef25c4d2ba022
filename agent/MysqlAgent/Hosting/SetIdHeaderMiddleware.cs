using MysqlAgent.Backup.Protocol;

namespace MysqlAgent.Hosting;

/// <summary>Adds <see cref="SetIdHeader"/> to every answer when <c>--set-id</c> is given.</summary>
public static class SetIdHeaderMiddleware
{
    public static IApplicationBuilder UseSetIdHeader(this IApplicationBuilder app, string setId) =>
        setId.Length == 0
            ? app
            : app.Use(
                (context, next) =>
                {
                    context.Response.Headers[SetIdHeader.Name] = setId;
                    return next(context);
                }
            );
}
