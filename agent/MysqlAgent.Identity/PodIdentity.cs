using System.Diagnostics.CodeAnalysis;

namespace MysqlAgent.Identity;

// Temporary minimal version; replaced by the init branch.
public sealed record PodIdentity(string PodName, string StatefulSetName, int Ordinal)
{
    public bool IsPrimary => Ordinal == 0;

    public static bool TryParse(
        string? hostname,
        [NotNullWhen(true)] out PodIdentity? identity,
        out string error
    )
    {
        identity = null;
        error = "";
        var pod = (hostname ?? "").Split('.')[0];
        var dash = pod.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(pod.AsSpan(dash + 1), out var ordinal))
        {
            error = $"'{hostname}' has no ordinal";
            return false;
        }

        identity = new PodIdentity(pod, pod[..dash], ordinal);
        return true;
    }

    public string PeerPodName(int ordinal) => $"{StatefulSetName}-{ordinal}";

    public string PeerHost(int ordinal, string service) => $"{PeerPodName(ordinal)}.{service}";

    public string PrimaryHost(string service) => PeerHost(0, service);
}
