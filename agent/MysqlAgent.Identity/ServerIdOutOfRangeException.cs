namespace MysqlAgent.Identity;

/// <summary>Offset plus ordinal does not give a server-id MySQL accepts (1..4294967295).</summary>
public sealed class ServerIdOutOfRangeException : IdentityException
{
    public ServerIdOutOfRangeException(int ordinal, ulong offset, string message)
        : base(message)
    {
        Ordinal = ordinal;
        Offset = offset;
    }

    public int Ordinal { get; }

    public ulong Offset { get; }
}
