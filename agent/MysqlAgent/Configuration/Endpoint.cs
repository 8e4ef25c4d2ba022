using System.Globalization;

namespace MysqlAgent.Configuration;

/// <summary>A host and a port.</summary>
public readonly record struct Endpoint(string Host, int Port)
{
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>The same server: the same port, and host names that differ at most in case (DNS ignores it).</summary>
    public bool SameAs(Endpoint other) =>
        Port == other.Port && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>host</c> or <c>host:port</c>; <paramref name="defaultPort"/> fills a missing port.</summary>
    public static bool TryParse(string text, int defaultPort, out Endpoint endpoint)
    {
        endpoint = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            endpoint = new Endpoint(text, defaultPort);
            return true;
        }

        if (
            colon == 0
            || !int.TryParse(
                text.AsSpan(colon + 1),
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var port
            )
            || port is < 1 or > 65535
        )
        {
            return false;
        }

        endpoint = new Endpoint(text[..colon], port);
        return true;
    }
}
