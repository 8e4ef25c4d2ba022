using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MysqlAgent.Identity;

/// <summary>
/// Who this pod is in its StatefulSet, read from its hostname: pod <c>mysql-2</c> is ordinal 2 of
/// set <c>mysql</c>, and its peers are reachable as <c>&lt;set&gt;-&lt;n&gt;.&lt;service&gt;</c>.
/// </summary>
public sealed record PodIdentity(string PodName, string StatefulSetName, int Ordinal)
{
    private const string Fix =
        "set HOSTNAME (or --hostname) to the StatefulSet pod name, <statefulset>-<ordinal> such as mysql-0";

    /// <summary>Ordinal 0 is the primary, as in the classic example.</summary>
    public bool IsPrimary => Ordinal == 0;

    /// <exception cref="PodIdentityException">The hostname is not a StatefulSet pod name.</exception>
    public static PodIdentity Parse(string? hostname) =>
        TryParse(hostname, out var identity, out var error)
            ? identity
            : throw new PodIdentityException(hostname, error);

    /// <param name="hostname">A pod name or an FQDN whose first label is the pod name.</param>
    /// <param name="identity">The identity when the hostname is valid.</param>
    /// <param name="error">A one-line message naming the input and the fix when it is not, else empty.</param>
    public static bool TryParse(
        string? hostname,
        [NotNullWhen(true)] out PodIdentity? identity,
        out string error
    )
    {
        identity = null;
        error = Validate(hostname, out var podName, out var setName, out var ordinal) ?? "";
        if (error.Length > 0)
        {
            return false;
        }

        identity = new PodIdentity(podName, setName, ordinal);
        return true;
    }

    public string PeerPodName(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        return string.Create(CultureInfo.InvariantCulture, $"{StatefulSetName}-{ordinal}");
    }

    /// <summary>The peer's stable DNS name under the headless service, e.g. <c>mysql-1.mysql</c>.</summary>
    public string PeerHost(int ordinal, string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return $"{PeerPodName(ordinal)}.{service}";
    }

    public string PrimaryHost(string service) => PeerHost(0, service);

    private static string? Validate(
        string? hostname,
        out string podName,
        out string setName,
        out int ordinal
    )
    {
        podName = "";
        setName = "";
        ordinal = 0;

        if (string.IsNullOrWhiteSpace(hostname))
        {
            return $"hostname is empty or missing; {Fix}";
        }

        var quoted = Quoting.Quote(hostname);

        var dot = hostname.IndexOf('.', StringComparison.Ordinal);
        var label = dot < 0 ? hostname : hostname[..dot];
        if (label.Length == 0)
        {
            return $"hostname {quoted} starts with a dot, so it names no pod; {Fix}";
        }

        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return $"hostname {quoted} has a character that no pod name has ({Quoting.Quote(c.ToString())}); {Fix}";
            }
        }

        var digitsStart = label.Length;
        while (digitsStart > 0 && char.IsAsciiDigit(label[digitsStart - 1]))
        {
            digitsStart--;
        }

        if (digitsStart == label.Length || digitsStart == 0 || label[digitsStart - 1] != '-')
        {
            return $"hostname {quoted} does not end in -<ordinal>, so it is not a StatefulSet pod name; {Fix}";
        }

        var digits = label.AsSpan(digitsStart);
        var set = label[..(digitsStart - 1)];
        if (set.Length == 0)
        {
            return $"hostname {quoted} has an ordinal but no StatefulSet name before it; {Fix}";
        }

        if (digits.Length > 1 && digits[0] == '0')
        {
            return $"hostname {quoted} has an ordinal with a leading zero, which no StatefulSet produces; {Fix}";
        }

        // NumberStyles.None: digits only, and an overflow is reported instead of thrown.
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ordinal))
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"hostname {quoted} has an ordinal above the largest one a StatefulSet can have ({int.MaxValue}); {Fix}"
            );
        }

        podName = label;
        setName = set;
        return null;
    }
}
