using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MysqlAgent.Tests.Election;

/// <summary>
/// Enough of the Kubernetes API server for the Lease calls, on 127.0.0.1: GET, POST and PUT of
/// coordination.k8s.io/v1 Leases, a resourceVersion that moves on every write, 409 for a stale one
/// or a second create, and faults to inject (an HTTP status for every call, or calls that hang until
/// released or abandoned by the client). The real KubernetesClient.Aot code talks to it.
/// </summary>
public sealed class FakeLeaseApiServer : IAsyncDisposable
{
    private const string Prefix = "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _podLabels = new(
        StringComparer.Ordinal
    );
    private readonly List<string> _deletedPods = [];
    private long _resourceVersion = 1000;
    private TaskCompletionSource? _hang;

    private FakeLeaseApiServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>When set, every call answers this status (a 5xx outage, a 429, a 403).</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>How many calls reached the server (answered or not).</summary>
    public int Calls => Volatile.Read(ref _calls);

    private int _calls;

    public static async Task<FakeLeaseApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeLeaseApiServer(app);
        app.MapGet(
            Prefix + "/{name}",
            (string ns, string name, HttpContext c) => server.Answer(c, () => server.Get(ns, name))
        );
        app.MapPost(
            Prefix,
            async (string ns, HttpContext c) =>
            {
                var body = await ReadBody(c);
                return await server.Answer(c, () => server.Create(ns, body));
            }
        );
        app.MapPut(
            Prefix + "/{name}",
            async (string ns, string name, HttpContext c) =>
            {
                var body = await ReadBody(c);
                return await server.Answer(c, () => server.Replace(ns, name, body));
            }
        );
        app.MapPatch(
            "/api/v1/namespaces/{ns}/pods/{name}",
            async (string ns, string name, HttpContext c) =>
            {
                var contentType = c.Request.ContentType ?? "";
                var body = (await JsonNode.ParseAsync(c.Request.Body))!;
                return await server.Answer(c, () => server.PatchPod(ns, name, contentType, body));
            }
        );
        app.MapDelete(
            "/api/v1/namespaces/{ns}/pods/{name}",
            (string ns, string name, HttpContext c) =>
                server.Answer(c, () => server.DeletePod(ns, name))
        );
        await app.StartAsync();
        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        server.Address = new Uri(address);
        return server;
    }

    /// <summary>The labels a pod got through merge patches (namespace/name), empty when none.</summary>
    public IReadOnlyDictionary<string, string> PodLabels(string ns, string name)
    {
        lock (_gate)
        {
            return _podLabels.TryGetValue(Key(ns, name), out var labels)
                ? new Dictionary<string, string>(labels)
                : [];
        }
    }

    /// <summary>
    /// From now on calls hang (a black-holed API server) until <see cref="Release"/>; a call that hung is
    /// lost, never applied.
    /// </summary>
    public void Hang()
    {
        lock (_gate)
        {
            _hang ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _hang?.TrySetResult();
            _hang = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<JsonObject> ReadBody(HttpContext context) =>
        (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();

    private async Task<IResult> Answer(HttpContext context, Func<IResult> handle)
    {
        Interlocked.Increment(ref _calls);
        Task? hang;
        lock (_gate)
        {
            hang = _hang?.Task;
        }

        if (hang is not null)
        {
            // A black-holed call is lost: it never reaches the store, even once released. Applying it
            // late would race the client's timeout (Kestrel may see the abort only after Release).
            try
            {
                await hang.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException) { }

            context.Abort();
            return Results.Empty;
        }

        if (FailWith is { } status)
        {
            return Status((int)status, "InternalError", "injected fault");
        }

        lock (_gate)
        {
            return handle();
        }
    }

    /// <summary>The pods deleted through the API (namespace/name), in order.</summary>
    public IReadOnlyList<string> DeletedPods
    {
        get
        {
            lock (_gate)
            {
                return [.. _deletedPods];
            }
        }
    }

    // A pod exists once labelled; deleting it answers the pod, as the API server does.
    private IResult DeletePod(string ns, string name)
    {
        var key = Key(ns, name);
        if (!_podLabels.Remove(key))
        {
            return Status(404, "NotFound", $"pods \"{name}\" not found");
        }

        _deletedPods.Add(key);
        return Results.Text(
            new JsonObject
            {
                ["kind"] = "Pod",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            }.ToJsonString(),
            "application/json"
        );
    }

    /// <summary>Puts a pod with these labels (namespace/name), as if its agent had labelled it.</summary>
    public void SetPodLabel(string ns, string name, string label, string value)
    {
        lock (_gate)
        {
            var key = Key(ns, name);
            if (!_podLabels.TryGetValue(key, out var labels))
            {
                _podLabels[key] = labels = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            labels[label] = value;
        }
    }

    // Only what the label writes need: a merge patch of metadata.labels on any pod name (the pod
    // comes into being), and a JSON patch of test and replace operations on one label of a pod
    // that exists (404 otherwise; a failed test is 422, as the API server answers).
    private IResult PatchPod(string ns, string name, string contentType, JsonNode body)
    {
        var key = Key(ns, name);
        Dictionary<string, string>? labels;
        if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
        {
            if (!_podLabels.TryGetValue(key, out labels))
            {
                return Status(404, "NotFound", $"pods \"{name}\" not found");
            }

            var changed = new Dictionary<string, string>(labels, StringComparer.Ordinal);
            foreach (var operation in body.AsArray())
            {
                const string prefix = "/metadata/labels/";
                var path = (string)operation!["path"]!;
                if (!path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return Status(400, "BadRequest", $"unsupported path {path}");
                }

                var label = path[prefix.Length..].Replace("~1", "/").Replace("~0", "~");
                var value = (string)operation["value"]!;
                switch ((string)operation["op"]!)
                {
                    case "test" when changed.GetValueOrDefault(label) != value:
                        return Status(422, "Invalid", $"testing value {path} failed");
                    case "test":
                        break;
                    case "replace" when changed.ContainsKey(label):
                        changed[label] = value;
                        break;
                    default:
                        return Status(422, "Invalid", $"cannot apply {operation.ToJsonString()}");
                }
            }

            _podLabels[key] = labels = changed;
        }
        else if (contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
        {
            if (!_podLabels.TryGetValue(key, out labels))
            {
                _podLabels[key] = labels = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            foreach (var (label, value) in body["metadata"]?["labels"]?.AsObject() ?? [])
            {
                labels[label] = (string?)value ?? "";
            }
        }
        else
        {
            return Status(415, "UnsupportedMediaType", $"unsupported patch type {contentType}");
        }

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject(
                    labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))
                ),
            },
        };
        return Results.Text(pod.ToJsonString(), "application/json", statusCode: 200);
    }

    private IResult Get(string ns, string name) =>
        _leases.TryGetValue(Key(ns, name), out var lease)
            ? Lease(lease, StatusCodes.Status200OK)
            : Status(404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");

    private IResult Create(string ns, JsonObject body)
    {
        var name = (string?)body["metadata"]?["name"];
        if (string.IsNullOrEmpty(name))
        {
            return Status(422, "Invalid", "metadata.name: Required value");
        }

        if (_leases.ContainsKey(Key(ns, name)))
        {
            return Status(
                409,
                "AlreadyExists",
                $"leases.coordination.k8s.io \"{name}\" already exists"
            );
        }

        body["metadata"]!["namespace"] = ns;
        body["metadata"]!["uid"] = Guid.NewGuid().ToString();
        return Store(ns, name, body, StatusCodes.Status201Created);
    }

    private IResult Replace(string ns, string name, JsonObject body)
    {
        if (!_leases.TryGetValue(Key(ns, name), out var current))
        {
            return Status(404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
        }

        var expected = (string?)body["metadata"]?["resourceVersion"];
        if (string.IsNullOrEmpty(expected))
        {
            return Status(
                422,
                "Invalid",
                "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"
            );
        }

        if (expected != (string?)current["metadata"]!["resourceVersion"])
        {
            return Status(
                409,
                "Conflict",
                $"Operation cannot be fulfilled on leases.coordination.k8s.io \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
            );
        }

        body["metadata"]!["uid"] = current["metadata"]!["uid"]!.DeepClone();
        return Store(ns, name, body, StatusCodes.Status200OK);
    }

    private IResult Store(string ns, string name, JsonObject body, int status)
    {
        _resourceVersion++;
        body["metadata"]!["resourceVersion"] = _resourceVersion.ToString(
            CultureInfo.InvariantCulture
        );
        _leases[Key(ns, name)] = body;
        return Lease(body, status);
    }

    private static IResult Lease(JsonObject lease, int status) =>
        Results.Text(lease.ToJsonString(), "application/json", statusCode: status);

    private static IResult Status(int code, string reason, string message) =>
        Results.Text(
            new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["status"] = "Failure",
                ["message"] = message,
                ["reason"] = reason,
                ["code"] = code,
            }.ToJsonString(),
            "application/json",
            statusCode: code
        );

    private static string Key(string ns, string name) => ns + "/" + name;
}
