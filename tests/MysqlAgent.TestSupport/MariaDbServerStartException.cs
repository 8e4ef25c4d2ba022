namespace MysqlAgent.TestSupport;

/// <summary><c>mariadbd</c> or <c>mariadb-install-db</c> failed; the message ends with the log's last lines.</summary>
public sealed class MariaDbServerStartException : Exception
{
    public MariaDbServerStartException() { }

    public MariaDbServerStartException(string message)
        : base(message) { }

    public MariaDbServerStartException(string message, Exception innerException)
        : base(message, innerException) { }

    public MariaDbServerStartException(string message, string logTail)
        : base($"{message}{Environment.NewLine}{logTail}")
    {
        LogTail = logTail;
    }

    public string LogTail { get; } = "";

    internal bool IsAddressInUse =>
        LogTail.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
        || LogTail.Contains("Do you already have another", StringComparison.OrdinalIgnoreCase);
}
