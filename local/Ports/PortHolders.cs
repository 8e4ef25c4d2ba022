using System.Globalization;
using MysqlLocal.Kubelet;

namespace MysqlLocal.Ports;

/// <summary>
/// Who listens on a TCP port, as <c>ss -ltnp</c> tells it: the listening sockets of
/// <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c> give the socket's inode, and the process whose
/// <c>/proc/PID/fd</c> holds <c>socket:[inode]</c> is its owner.
/// </summary>
public static class PortHolders
{
    private const string ListenState = "0A";

    /// <summary>Every process listening on <paramref name="port"/> (any address); empty when none does.</summary>
    public static IReadOnlyList<PortHolder> Find(int port)
    {
        var inodes = ListeningInodes(port);
        if (inodes.Count == 0)
        {
            return [];
        }

        var holders = new List<PortHolder>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (pid, inode) in SocketOwners(inodes))
        {
            found.Add(inode);
            if (holders.All(h => h.Pid != pid))
            {
                holders.Add(new PortHolder(port, pid, Signals.CommandLine(pid)));
            }
        }

        if (found.Count < inodes.Count)
        {
            holders.Add(new PortHolder(port, null, null));
        }

        return holders;
    }

    /// <summary>The inodes of the sockets listening on <paramref name="port"/>, from /proc/net/tcp and tcp6.</summary>
    public static IReadOnlySet<string> ListeningInodes(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(table);
            }
            catch (IOException)
            {
                continue; // No IPv6 on this machine.
            }

            foreach (var line in lines.Skip(1))
            {
                if (ParseListening(line) is { } socket && socket.Port == port)
                {
                    inodes.Add(socket.Inode);
                }
            }
        }

        return inodes;
    }

    /// <summary>
    /// One line of /proc/net/tcp(6): <c>sl local_address rem_address st ... uid timeout inode</c>,
    /// the local address as hex <c>ADDRESS:PORT</c>; null unless the socket listens.
    /// </summary>
    public static (int Port, string Inode)? ParseListening(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10 || fields[3] != ListenState)
        {
            return null;
        }

        var colon = fields[1].LastIndexOf(':');
        return
            colon > 0
            && int.TryParse(
                fields[1].AsSpan(colon + 1),
                NumberStyles.AllowHexSpecifier,
                CultureInfo.InvariantCulture,
                out var port
            )
            && fields[9] != "0"
            ? (port, fields[9])
            : null;
    }

    private static IEnumerable<(int Pid, string Inode)> SocketOwners(IReadOnlySet<string> inodes)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (
                !int.TryParse(
                    Path.GetFileName(dir),
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var pid
                )
            )
            {
                continue;
            }

            IEnumerable<string> fds;
            try
            {
                fds = Directory.GetFiles(Path.Combine(dir, "fd"));
            }
            catch (Exception e)
                when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
            {
                continue; // Gone, or another user's.
            }

            foreach (var fd in fds)
            {
                string? target;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                // "socket:[12345]"
                if (
                    target is not null
                    && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && inodes.Contains(target["socket:[".Length..^1])
                )
                {
                    yield return (pid, target["socket:[".Length..^1]);
                }
            }
        }
    }
}
