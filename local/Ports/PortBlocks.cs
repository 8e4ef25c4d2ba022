using System.Globalization;
using MysqlLocal.State;

namespace MysqlLocal.Ports;

/// <summary><c>--base-port auto</c>: the first block, from the default one on, whose ports are all free.</summary>
public static class PortBlocks
{
    public const string Auto = "auto";

    /// <summary>Blocks are this far apart, so that each has room for <see cref="PodPorts.MaxOrdinals"/> pods.</summary>
    public const int Stride = 1000;

    /// <summary>
    /// The first base, from <see cref="PodPorts.DefaultBase"/> up to below the kernel's ephemeral
    /// ports (32768), then from 10300 up, where every port a set of up to
    /// <see cref="PodPorts.MaxOrdinals"/> pods would use can be listened on now.
    /// </summary>
    /// <exception cref="LocalSetException">No block is free.</exception>
    public static int FindFree()
    {
        var candidates = Bases(PodPorts.DefaultBase).Concat(Bases(10300)).Distinct();
        foreach (var basePort in candidates)
        {
            if (
                PodPorts.IsValidBase(basePort)
                && PortCheck
                    .PortsOf(basePort, PodPorts.MaxOrdinals)
                    .All(p => PortCheck.CanBind(p.Port))
            )
            {
                return basePort;
            }
        }

        throw new LocalSetException(
            string.Create(
                CultureInfo.InvariantCulture,
                $"no free block of ports for {PodPorts.MaxOrdinals} pods between 10300 and 32767: give --base-port a number"
            )
        );
    }

    private static IEnumerable<int> Bases(int from)
    {
        for (
            var basePort = from;
            basePort + (10 * PodPorts.MaxOrdinals) + 8 < 32768;
            basePort += Stride
        )
        {
            yield return basePort;
        }
    }
}
