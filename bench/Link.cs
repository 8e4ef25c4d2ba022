using System.Globalization;

namespace MysqlBench;

/// <summary>
/// Where the donor and the receiver of a clone run. <c>loopback</c>: both on 127.0.0.1, as before.
/// <c>1gbit</c>, <c>10gbit</c>: two network namespaces made by the bench, joined by a veth pair shaped
/// with tc (tbf at the nominal rate, optionally under a netem delay), with addresses from TEST-NET-1
/// that exist only inside them. The donor's mariadbd stays in the bench's own namespace; a socat relay
/// inside the donor's namespace gives its 127.0.0.1:port to the server's unix socket, so the donor's
/// agent and backup tool reach "their" local server as in a pod.
/// </summary>
internal sealed class Link : IAsyncDisposable
{
    public const string DonorAddress = "192.0.2.1";
    public const string ReceiverAddress = "192.0.2.2";

    private readonly List<BackgroundProcess> _relays = [];

    private Link(string name, string? donorNs, string? receiverNs, string description)
    {
        Name = name;
        DonorNamespace = donorNs;
        ReceiverNamespace = receiverNs;
        Description = description;
    }

    public string Name { get; }

    public string Description { get; private set; }

    public string? DonorNamespace { get; }

    public string? ReceiverNamespace { get; }

    public bool IsEmulated => DonorNamespace is not null;

    /// <summary>The address the donor's listeners bind to and the receiver connects to.</summary>
    public string DonorHost => IsEmulated ? DonorAddress : "127.0.0.1";

    public static Link Loopback(string why) => new("loopback", null, null, why);

    /// <summary>Makes the namespaces and the shaped veth pair, or falls back to loopback saying why.</summary>
    public static async Task<Link> CreateAsync(
        string kind,
        double delayMs,
        TextWriter log,
        CancellationToken ct
    )
    {
        if (kind == "loopback")
        {
            return Loopback("loopback: donor and receiver on 127.0.0.1, no shaping");
        }

        if (Environment.UserName != "root" && !IsRoot())
        {
            await log.WriteLineAsync(
                    $"  --link {kind} needs root to make network namespaces; measuring loopback only"
                )
                .ConfigureAwait(false);
            return Loopback($"loopback (asked for {kind}: not root)");
        }

        var rate = kind switch
        {
            "1gbit" => "1gbit",
            "10gbit" => "10gbit",
            _ => throw new ArgumentException($"--link {kind}: use 1gbit, 10gbit or loopback"),
        };
        // A burst of a few ms at the rate: large enough for tbf to reach it, small enough to shape.
        var burst = kind == "1gbit" ? "1mb" : "8mb";
        var id = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var donorNs = $"benchd{id}";
        var receiverNs = $"benchr{id}";
        var vd = $"vd{id}";
        var vr = $"vr{id}";
        var commands = new List<string>
        {
            $"ip netns add {donorNs}",
            $"ip netns add {receiverNs}",
            $"ip link add {vd} type veth peer name {vr}",
            $"ip link set {vd} netns {donorNs}",
            $"ip link set {vr} netns {receiverNs}",
            $"ip -n {donorNs} addr add {DonorAddress}/30 dev {vd}",
            $"ip -n {receiverNs} addr add {ReceiverAddress}/30 dev {vr}",
            $"ip -n {donorNs} link set lo up",
            $"ip -n {receiverNs} link set lo up",
            $"ip -n {donorNs} link set {vd} up",
            $"ip -n {receiverNs} link set {vr} up",
        };
        var tbf = $"tbf rate {rate} burst {burst} latency 50ms";
        var shaping = new List<string>();
        var delayShaping = new List<string>();
        foreach (var (ns, dev) in new[] { (donorNs, vd), (receiverNs, vr) })
        {
            shaping.Add($"ip netns exec {ns} tc qdisc add dev {dev} root {tbf}");
            // Half the round trip each way, the rate under it.
            var half = (delayMs / 2).ToString("0.###", CultureInfo.InvariantCulture);
            delayShaping.Add(
                $"ip netns exec {ns} tc qdisc add dev {dev} root handle 1: netem delay {half}ms"
            );
            delayShaping.Add(
                $"ip netns exec {ns} tc qdisc add dev {dev} parent 1:1 handle 10: {tbf}"
            );
        }

        var link = new Link(
            kind,
            donorNs,
            receiverNs,
            $"{kind}: namespaces {donorNs} ({DonorAddress}) and {receiverNs} ({ReceiverAddress}), veth shaped with tc tbf rate {rate} burst {burst}{(delayMs > 0 ? $" under netem delay {delayMs / 2:0.###} ms each way" : "")}"
        );
        var result = await Processes
            .BashAsync(string.Join(" && ", commands), ct, check: false)
            .ConfigureAwait(false);
        if (result.ExitCode == 0 && delayMs > 0)
        {
            var delayed = await Processes
                .BashAsync(string.Join(" && ", delayShaping), ct, check: false)
                .ConfigureAwait(false);
            if (delayed.ExitCode != 0)
            {
                await log.WriteLineAsync(
                        $"  netem is not available here ({delayed.Output.Trim()}): no delay, rate only"
                    )
                    .ConfigureAwait(false);
                await Processes
                    .BashAsync(
                        $"ip netns exec {donorNs} tc qdisc del dev {vd} root; ip netns exec {receiverNs} tc qdisc del dev {vr} root; true",
                        ct,
                        check: false
                    )
                    .ConfigureAwait(false);
                delayMs = 0;
            }
        }

        if (result.ExitCode == 0 && delayMs == 0)
        {
            result = await Processes
                .BashAsync(string.Join(" && ", shaping), ct, check: false)
                .ConfigureAwait(false);
        }

        link.Description =
            $"{kind}: namespaces {donorNs} ({DonorAddress}) and {receiverNs} ({ReceiverAddress}), veth shaped with tc tbf rate {rate} burst {burst}{(delayMs > 0 ? $" under netem delay {delayMs / 2:0.###} ms each way" : "")}";
        if (result.ExitCode != 0)
        {
            await link.DisposeAsync().ConfigureAwait(false);
            await log.WriteLineAsync(
                    $"  cannot make network namespaces here ({result.Output.Trim()}); measuring loopback only"
                )
                .ConfigureAwait(false);
            return Loopback($"loopback (asked for {kind}: namespaces unavailable)");
        }

        return link;
    }

    /// <summary>The program and arguments that run <paramref name="program"/> on the donor's side.</summary>
    public (string Program, IReadOnlyList<string> Arguments) OnDonor(
        string program,
        IEnumerable<string> arguments
    ) => In(DonorNamespace, program, arguments);

    /// <summary>The program and arguments that run <paramref name="program"/> on the receiver's side.</summary>
    public (string Program, IReadOnlyList<string> Arguments) OnReceiver(
        string program,
        IEnumerable<string> arguments
    ) => In(ReceiverNamespace, program, arguments);

    /// <summary>A shell line run on the donor's or the receiver's side.</summary>
    public string Shell(bool donor, string script)
    {
        var ns = donor ? DonorNamespace : ReceiverNamespace;
        return ns is null
            ? script
            : $"ip netns exec {ns} bash -c {Processes.Quote("set -o pipefail\n" + script)}";
    }

    /// <summary>Gives the donor's namespace a 127.0.0.1:<paramref name="port"/> that reaches the server's unix socket.</summary>
    public async Task RelayMysqlAsync(int port, string socketPath, CancellationToken ct)
    {
        if (!IsEmulated)
        {
            return;
        }

        var (program, arguments) = OnDonor(
            "socat",
            [
                $"TCP-LISTEN:{Processes.Number(port)},bind=127.0.0.1,fork,reuseaddr",
                $"UNIX-CONNECT:{socketPath}",
            ]
        );
        var relay = new BackgroundProcess(program, arguments);
        _relays.Add(relay);
        await WaitListeningAsync(relay, port, ct).ConfigureAwait(false);
    }

    /// <summary>Until <paramref name="process"/>'s network namespace has a listener on <paramref name="port"/>.</summary>
    public static async Task WaitListeningAsync(
        BackgroundProcess process,
        int port,
        CancellationToken ct
    )
    {
        while (!ProcFs.IsListening(port, process.ProcessId))
        {
            if (process.HasExited)
            {
                throw new BenchException($"{process.Name} exited:\n{process.Output}");
            }

            if (process.StartedAt.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new BenchException($"{process.Name} did not listen on {port} in 60 s");
            }

            await Task.Delay(10, ct).ConfigureAwait(false);
        }
    }

    private static (string, IReadOnlyList<string>) In(
        string? ns,
        string program,
        IEnumerable<string> arguments
    ) =>
        ns is null
            ? (program, arguments.ToList())
            : ("ip", ["netns", "exec", ns, program, .. arguments]);

    private static bool IsRoot() =>
        File.ReadLines("/proc/self/status")
            .FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            ?.Split('\t', StringSplitOptions.RemoveEmptyEntries)
            .ElementAtOrDefault(1) == "0";

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in _relays)
        {
            await relay.DisposeAsync().ConfigureAwait(false);
        }

        if (DonorNamespace is not null)
        {
            // Deleting a namespace deletes the veth end inside it, and so the pair.
            await Processes
                .BashAsync(
                    $"ip netns del {DonorNamespace} 2>/dev/null; ip netns del {ReceiverNamespace} 2>/dev/null; true",
                    CancellationToken.None,
                    check: false
                )
                .ConfigureAwait(false);
        }
    }
}
