using System.Globalization;
using System.Text.Json;
using MysqlLocal.State;

namespace MysqlLocal.Status;

/// <summary>
/// Whether the agent answering on a pod's HTTP port is that pod of this set: its <c>/status</c>
/// must report the pod's name, and its <c>X-Mysql-Agent-Set-Id</c> header the set's id. Another
/// set's agent on a port this set took for its own is never taken for one of ours.
/// </summary>
public static class AgentIdentity
{
    /// <summary>The agent's header (MysqlAgent.Backup.Protocol.SetIdHeader); mysql-local does not reference the agent.</summary>
    public const string SetIdHeader = "X-Mysql-Agent-Set-Id";

    /// <summary>Null when the answer is from <paramref name="podName"/> of set <paramref name="setId"/>; else why not, in one line.</summary>
    public static string? Mismatch(
        int httpPort,
        string podName,
        string setId,
        string? reportedPod,
        string? reportedSet
    )
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{httpPort}");
        if (setId.Length > 0 && !string.Equals(reportedSet, setId, StringComparison.Ordinal))
        {
            return string.IsNullOrEmpty(reportedSet)
                ? $"the agent on {where} names no set, so it is not {podName} of set {setId}: another process holds this set's port"
                : $"the agent on {where} is {reportedPod ?? "a pod"} of another set ({reportedSet}), not {podName} of set {setId}: another set holds this set's port";
        }

        return string.Equals(reportedPod, podName, StringComparison.Ordinal)
            ? null
            : $"the agent on {where} reports pod {reportedPod ?? "(none)"}, not {podName}";
    }

    /// <summary>Asks the agent's <c>/status</c>; null when it is <paramref name="podName"/> of set <paramref name="setId"/>.</summary>
    /// <exception cref="HttpRequestException">The agent does not answer.</exception>
    public static async Task<string?> CheckAsync(
        HttpClient http,
        int httpPort,
        string podName,
        string setId,
        CancellationToken cancellationToken
    )
    {
        using var response = await http.GetAsync(
                new Uri(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"http://127.0.0.1:{httpPort}/status"
                    )
                ),
                cancellationToken
            )
            .ConfigureAwait(false);
        var reportedSet = response.Headers.TryGetValues(SetIdHeader, out var values)
            ? values.FirstOrDefault()
            : null;
        string? reportedPod = null;
        try
        {
            var body = await response
                .Content.ReadAsStringAsync(cancellationToken)
                .ConfigureAwait(false);
            reportedPod = JsonSerializer
                .Deserialize(body, SetJsonContext.Default.AgentStatus)
                ?.PodName;
        }
        catch (JsonException)
        {
            // Not an agent's /status: reported as no pod.
        }

        return Mismatch(httpPort, podName, setId, reportedPod, reportedSet);
    }
}
