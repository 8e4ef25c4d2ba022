using System.Globalization;
using System.Text.Json;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>The HTTP API of the set's Prometheus (<c>monitor</c>, on base+4): active alerts and instant queries.</summary>
public sealed class PrometheusApi(int port) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public int Port { get; } = port;

    public Uri Ready => Address("/-/ready");

    /// <summary>Every active (pending or firing) alert, as Prometheus's /api/v1/alerts lists it.</summary>
    public async Task<IReadOnlyList<ActiveAlert>> AlertsAsync()
    {
        using var document = JsonDocument.Parse(
            await _http.GetStringAsync(Address("/api/v1/alerts"))
        );
        return document
            .RootElement.GetProperty("data")
            .GetProperty("alerts")
            .EnumerateArray()
            .Select(a => new ActiveAlert(
                a.GetProperty("labels").GetProperty("alertname").GetString()!,
                a.GetProperty("labels").TryGetProperty("pod", out var pod) ? pod.GetString() : null,
                a.GetProperty("state").GetString()!,
                a.GetProperty("annotations").GetProperty("description").GetString() ?? ""
            ))
            .ToList();
    }

    /// <summary>How many series an instant query returns now; the error text when Prometheus refuses it.</summary>
    public async Task<int> SeriesAsync(string expression)
    {
        using var response = await _http.GetAsync(
            Address("/api/v1/query?query=" + Uri.EscapeDataString(expression))
        );
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused {expression}: {body}");
        }

        return document.RootElement.GetProperty("data").GetProperty("result").GetArrayLength();
    }

    public async Task<bool> AnswersAsync()
    {
        try
        {
            using var response = await _http.GetAsync(Ready);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();

    private Uri Address(string path) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}{path}"));
}
