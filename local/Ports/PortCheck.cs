using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MysqlLocal.State;

namespace MysqlLocal.Ports;

/// <summary>
/// The check <c>up</c> and <c>scale</c> make before any pod starts: every port the set's pods will
/// listen on must be free, or held by this set's own processes (a set started again). A port held
/// by anyone else stops the command at once, naming the port, its holder, the other set's folder
/// when the holder is a pod of another local set, and <c>--base-port</c>.
/// </summary>
public static partial class PortCheck
{
    /// <summary>The set's mysql-primary and mysql-read ports, then every port of pods 0..<paramref name="replicas"/>-1, named for the message.</summary>
    public static IEnumerable<(string What, int Port)> PortsOf(int basePort, int replicas)
    {
        yield return ("mysql-primary", PodPorts.PrimaryPort(basePort));
        yield return ("mysql-read", PodPorts.ReadPort(basePort));

        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            var ports = PodPorts.For(basePort, ordinal);
            var pod = SetPaths.PodName(ordinal);
            yield return ($"{pod} mysql", ports.Mysql);
            yield return ($"{pod} backup", ports.Backup);
            yield return ($"{pod} http", ports.Http);
        }
    }

    /// <exception cref="LocalSetException">A port is taken by a process that is not this set's.</exception>
    public static void EnsureFree(SetPaths set, int basePort, int replicas)
    {
        foreach (var (what, port) in PortsOf(basePort, replicas))
        {
            if (Refusal(set, what, port) is { } message)
            {
                throw new LocalSetException(message);
            }
        }
    }

    /// <summary>Null when the port is free or this set's; else the one-line message.</summary>
    public static string? Refusal(SetPaths set, string what, int port)
    {
        if (CanBind(port))
        {
            return null;
        }

        var holders = PortHolders.Find(port);
        if (holders.Count > 0 && holders.All(h => IsOwnedBy(h, set.StateDir)))
        {
            return null; // This set's own pod, still running: starting the set again.
        }

        var holder = holders.FirstOrDefault(h => !IsOwnedBy(h, set.StateDir));
        var who = holder switch
        {
            { Pid: { } pid, CommandLine: var commandLine } => string.Create(
                CultureInfo.InvariantCulture,
                $"pid {pid} ({Shorten(commandLine ?? "?")})"
            ),
            { Pid: null } => "a process this user cannot see in /proc (another user's?)",
            // Not listening, yet not bindable: a connection or a socket about to listen.
            null => "a socket that is not listening (see 'ss -tanp')",
        };
        var otherSet = holder?.CommandLine is { } line ? SetFolderIn(line) : null;
        var whose = otherSet is null
            ? ""
            : $", a pod of the local set in {otherSet} (stop it with 'down --state-dir {otherSet}')";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"port {port} ({what}) is taken by {who}{whose}: choose other ports with --base-port (--base-port auto picks a free block)"
        );
    }

    /// <summary>A local set's folder named in a command line (its pods' paths, or the kubelet's --state-dir); null when none.</summary>
    public static string? SetFolderIn(string commandLine)
    {
        // A set's kubelet (it holds the mysql-primary port): "mysql-local kubelet --state-dir DIR".
        var kubelet = KubeletStateDir().Match(commandLine);
        if (kubelet.Success && File.Exists(Path.Combine(kubelet.Groups["set"].Value, "set.json")))
        {
            return kubelet.Groups["set"].Value;
        }

        foreach (Match match in PodPath().Matches(commandLine))
        {
            var folder = match.Groups["set"].Value;
            if (File.Exists(Path.Combine(folder, "set.json")))
            {
                return folder;
            }
        }

        return null;
    }

    /// <summary>True when 127.0.0.1:<paramref name="port"/> can be listened on now, as the pods will.</summary>
    public static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            // As mysqld and Kestrel do: a connection of a set just stopped, in TIME_WAIT, is no holder.
            listener.Server.SetSocketOption(
                SocketOptionLevel.Socket,
                SocketOptionName.ReuseAddress,
                true
            );
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsOwnedBy(PortHolder holder, string stateDir) =>
        holder.CommandLine is { } line
        && (
            line.Contains(stateDir + "/", StringComparison.Ordinal)
            || (
                KubeletStateDir().Match(line) is { Success: true } kubelet
                && kubelet.Groups["set"].Value == stateDir
            )
        );

    private static string Shorten(string commandLine) =>
        commandLine.Length > 120 ? commandLine[..120] + "…" : commandLine;

    [GeneratedRegex(@"(?<set>/[^\s=]*?)/pods/mysql-\d+/")]
    private static partial Regex PodPath();

    [GeneratedRegex(@" kubelet --state-dir (?<set>/\S+)")]
    private static partial Regex KubeletStateDir();
}
