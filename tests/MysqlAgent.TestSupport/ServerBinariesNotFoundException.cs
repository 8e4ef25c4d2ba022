namespace MysqlAgent.TestSupport;

/// <summary>A MariaDB program the real-server tests need is not installed on this machine.</summary>
public sealed class ServerBinariesNotFoundException : Exception
{
    public ServerBinariesNotFoundException(string program, IEnumerable<string> searched)
        : base(
            $"'{program}' was not found on PATH or in {string.Join(", ", searched)}; "
                + "install it with: apt-get install -y mariadb-server mariadb-backup"
        )
    {
        Program = program;
    }

    public ServerBinariesNotFoundException()
        : this("mariadbd", []) { }

    public ServerBinariesNotFoundException(string message)
        : base(message)
    {
        Program = "";
    }

    public ServerBinariesNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Program = "";
    }

    /// <summary>The first name looked for, e.g. <c>mariadbd</c>.</summary>
    public string Program { get; }
}
