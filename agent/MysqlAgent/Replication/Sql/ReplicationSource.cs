using System.Text.RegularExpressions;
using MysqlAgent.Replication.Dialects;

namespace MysqlAgent.Replication.Sql;

/// <summary>
/// The server to replicate from and how to connect to it. <see cref="ToString"/> masks the password.
/// Values are checked here once: the servers reject line breaks in these options, and a NUL would
/// be cut by C clients, so such values are refused before any SQL is rendered.
/// </summary>
public sealed partial record ReplicationSource
{
    public ReplicationSource(
        string host,
        int port,
        string user,
        string password,
        int connectRetrySeconds,
        int retryCount
    )
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (host.Length is 0 or > 255 || !HostPattern().IsMatch(host))
        {
            throw Invalid(
                "host",
                "a host name or IP address (letters, digits, '.', '-', '_', ':')"
            );
        }

        if (port is < 1 or > 65535)
        {
            throw Invalid("port", "a TCP port from 1 to 65535");
        }

        if (user.Length == 0 || HasForbiddenCharacter(user))
        {
            throw Invalid("user", "a non-empty name without NUL or line breaks");
        }

        if (HasForbiddenCharacter(password))
        {
            throw Invalid("password", "a password without NUL or line breaks");
        }

        if (connectRetrySeconds is < 1 or > 31_536_000)
        {
            throw Invalid("connect retry", "a number of seconds from 1 to 31536000");
        }

        if (retryCount < 0)
        {
            throw Invalid("retry count", "zero or a positive number of attempts");
        }

        Host = host;
        Port = port;
        User = user;
        Password = password;
        ConnectRetrySeconds = connectRetrySeconds;
        RetryCount = retryCount;
    }

    public string Host { get; }

    public int Port { get; }

    public string User { get; }

    public string Password { get; }

    public int ConnectRetrySeconds { get; }

    /// <summary>Connection attempts before the replica gives up (MySQL; MariaDB takes it from the server option <c>master_retry_count</c>).</summary>
    public int RetryCount { get; }

    public override string ToString() =>
        $"{User}@{Host}:{Port} (password {ReplicationStatement.Mask}, connect retry {ConnectRetrySeconds}s, retry count {RetryCount})";

    private static bool HasForbiddenCharacter(string value) =>
        value.AsSpan().IndexOfAny('\0', '\r', '\n') >= 0;

    private static ReplicationSetupException Invalid(string field, string expected) =>
        new(
            $"replication source {field} is invalid: expected {expected}; fix the agent's replication settings"
        );

    [GeneratedRegex(@"\A[A-Za-z0-9._:\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}
