using System.Globalization;
using System.Text.Json;

namespace MysqlLocal.Monitoring;

/// <summary>Reads the active alerts of the set's Prometheus from /api/v1/alerts.</summary>
public static class PrometheusAlerts
{
    public static Uri AlertsUri(int port) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/api/v1/alerts"));

    /// <exception cref="HttpRequestException">Prometheus did not answer.</exception>
    public static async Task<IReadOnlyList<PrometheusAlert>> ReadAsync(
        HttpClient http,
        int port,
        CancellationToken cancellationToken
    )
    {
        var body = await http.GetStringAsync(AlertsUri(port), cancellationToken)
            .ConfigureAwait(false);
        return Parse(body);
    }

    /// <summary>The alerts of an /api/v1/alerts answer, firing ones first, then by name and pod.</summary>
    public static IReadOnlyList<PrometheusAlert> Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document
            .RootElement.GetProperty("data")
            .GetProperty("alerts")
            .EnumerateArray()
            .Select(a =>
            {
                var labels = a.GetProperty("labels");
                var annotations = a.TryGetProperty("annotations", out var found) ? found : default;
                return new PrometheusAlert(
                    Text(labels, "alertname") ?? "?",
                    a.GetProperty("state").GetString() ?? "?",
                    Text(labels, "severity") ?? "",
                    Text(labels, "pod"),
                    annotations.ValueKind == JsonValueKind.Object
                        ? Text(annotations, "summary") ?? ""
                        : ""
                );
            })
            .OrderBy(a => a.Firing ? 0 : 1)
            .ThenBy(a => a.Name, StringComparer.Ordinal)
            .ThenBy(a => a.Pod, StringComparer.Ordinal)
            .ToList();
    }

    private static string? Text(JsonElement map, string key) =>
        map.TryGetProperty(key, out var value) ? value.GetString() : null;
}
