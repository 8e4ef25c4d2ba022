using System.Globalization;

namespace MysqlBench;

/// <summary>Memory and CPU of a process from <c>/proc/&lt;pid&gt;/status</c> and <c>/proc/&lt;pid&gt;/stat</c>.</summary>
internal static class ProcFs
{
    /// <summary>Clock ticks per second of utime/stime (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>A field of /proc/pid/status in kB (VmRSS, VmHWM), as bytes; null when the process is gone.</summary>
    public static long? StatusBytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }

        return null;
    }

    /// <summary>User + system CPU seconds the process has used so far (utime + stime).</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces: fields are counted after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (utime + stime) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Resets VmHWM to the current RSS (<c>echo 5 &gt; /proc/pid/clear_refs</c>).</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True while a TCP socket listens on 127.0.0.1/0.0.0.0:<paramref name="port"/> (without connecting to it).</summary>
    public static bool IsListening(int port) => IsListening(port, null);

    /// <summary>As above, in the network namespace of process <paramref name="pid"/> (the bench's own when null).</summary>
    public static bool IsListening(int port, int? pid)
    {
        var suffix = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var net = pid is { } p
            ? $"/proc/{p.ToString(CultureInfo.InvariantCulture)}/net"
            : "/proc/net";
        foreach (var table in new[] { net + "/tcp", net + "/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (
                    parts.Length > 3
                    && parts[1].EndsWith(suffix, StringComparison.Ordinal)
                    && parts[3] == "0A"
                )
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>Samples a process's VmRSS every <paramref name="interval"/> until disposed; keeps the maximum.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RssSampler(int pid, TimeSpan interval)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                if (ProcFs.StatusBytes(pid, "VmRSS") is { } rss && rss > MaxBytes)
                {
                    MaxBytes = rss;
                }

                if (ProcFs.CpuSeconds(pid) is { } cpu)
                {
                    LastCpuSeconds = cpu;
                }

                Samples++;
            } while (await SafeTick(timer).ConfigureAwait(false));
        });
    }

    public long MaxBytes { get; private set; }

    public int Samples { get; private set; }

    /// <summary>User + system CPU seconds at the last sample (a lower bound once the process has exited).</summary>
    public double LastCpuSeconds { get; private set; }

    private async Task<bool> SafeTick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
