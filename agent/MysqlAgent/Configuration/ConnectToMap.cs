using System.Globalization;

namespace MysqlAgent.Configuration;

/// <summary>
/// curl-style <c>--connect-to HOST:PORT:HOST2:PORT2</c>: where a peer's stable name must be reached
/// at another address (a local replica set on 127.0.0.1, tests), without DNS or /etc/hosts.
/// Every outgoing connection to a peer, and the replication source rendered into CHANGE MASTER,
/// goes through <see cref="Resolve"/>.
/// </summary>
public sealed class ConnectToMap
{
    private readonly Dictionary<Endpoint, Endpoint> _map;

    private ConnectToMap(Dictionary<Endpoint, Endpoint> map) => _map = map;

    public static ConnectToMap Empty { get; } = new([]);

    public IReadOnlyDictionary<Endpoint, Endpoint> Entries => _map;

    public Endpoint Resolve(Endpoint endpoint) =>
        _map.TryGetValue(endpoint with { Host = endpoint.Host.ToLowerInvariant() }, out var mapped)
            ? mapped
            : endpoint;

    public static ConnectToMap Parse(IEnumerable<string> entries, List<string> problems)
    {
        var map = new Dictionary<Endpoint, Endpoint>();
        foreach (var entry in entries)
        {
            var parts = entry.Split(':');
            if (
                parts.Length != 4
                || parts[0].Length == 0
                || parts[2].Length == 0
                || !TryPort(parts[1], out var fromPort)
                || !TryPort(parts[3], out var toPort)
            )
            {
                problems.Add(
                    $"--connect-to '{entry}' is not HOST:PORT:HOST2:PORT2 (for example mysql-0.mysql:3306:127.0.0.1:13306)"
                );
                continue;
            }

            map[new Endpoint(parts[0].ToLowerInvariant(), fromPort)] = new Endpoint(
                parts[2],
                toPort
            );
        }

        return new ConnectToMap(map);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port)
        && port is >= 1 and <= 65535;
}
