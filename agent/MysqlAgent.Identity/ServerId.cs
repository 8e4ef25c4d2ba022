using System.Globalization;

namespace MysqlAgent.Identity;

/// <summary>
/// Derives the MySQL server-id from the pod's ordinal, as the classic example does with
/// <c>100 + ordinal</c>: every member of a replication topology needs a distinct, non-zero id.
/// </summary>
public static class ServerId
{
    public const uint Min = 1;
    public const uint Max = uint.MaxValue;

    /// <exception cref="ServerIdOutOfRangeException">offset + ordinal is 0 or above 4294967295.</exception>
    public static uint Compute(int ordinal, ulong offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);

        // Compared before adding so that no offset, however large, can wrap around.
        if (offset > Max || (ulong)ordinal > Max - offset)
        {
            throw new ServerIdOutOfRangeException(
                ordinal,
                offset,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"server-id offset {offset} + ordinal {ordinal} is above the largest server-id {Max}; change --server-id-offset so that offset + the highest ordinal stays within {Min}..{Max}"
                )
            );
        }

        var id = offset + (ulong)ordinal;
        if (id < Min)
        {
            throw new ServerIdOutOfRangeException(
                ordinal,
                offset,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"server-id offset {offset} + ordinal {ordinal} gives server-id 0, which MySQL reserves (a server with id 0 refuses to replicate); change --server-id-offset to 1 or more (the default is 100)"
                )
            );
        }

        return (uint)id;
    }
}
