namespace MysqlAgent.Identity;

// Temporary minimal version; replaced by the init branch.
public static class ServerId
{
    public static uint Compute(int ordinal, ulong offset) =>
        offset + (ulong)ordinal is var id and > 0 and <= uint.MaxValue
            ? (uint)id
            : throw new ServerIdOutOfRangeException("out of range");
}
