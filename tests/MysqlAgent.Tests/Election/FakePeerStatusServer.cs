using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MysqlAgent.Tests.Election;

/// <summary>
/// A peer agent's <c>/status</c> on 127.0.0.1, with its candidate report; it can be frozen, as a
/// SIGSTOPped pod: requests are received and held unanswered until it is thawed.
/// </summary>
public sealed class FakePeerStatusServer : IAsyncDisposable
{
    private const string Body = """
        {"podName":"peer","candidate":{"mysqldUp":true,"errant":false,"followedTerm":1,"priority":1,
        "flavor":"mariadb","executed":"0-1-10","received":"0-1-10"}}
        """;

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private TaskCompletionSource? _frozen;
    private int _received;

    private FakePeerStatusServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>How many <c>/status</c> requests arrived, answered or held.</summary>
    public int Received => Volatile.Read(ref _received);

    public static async Task<FakePeerStatusServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakePeerStatusServer(app);
        app.MapGet(
            "/status",
            async (HttpContext c) =>
            {
                Task hold;
                lock (server._gate)
                {
                    server._received++;
                    hold = server._frozen?.Task ?? Task.CompletedTask;
                }

                await hold.WaitAsync(c.RequestAborted);
                return Results.Text(Body, "application/json");
            }
        );
        await app.StartAsync();
        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    public void Freeze()
    {
        lock (_gate)
        {
            _frozen ??= new TaskCompletionSource(
                TaskCreationOptions.RunContinuationsAsynchronously
            );
        }
    }

    /// <summary>Answers the held requests and every later one.</summary>
    public void Thaw()
    {
        lock (_gate)
        {
            _frozen?.TrySetResult();
            _frozen = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Thaw();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
