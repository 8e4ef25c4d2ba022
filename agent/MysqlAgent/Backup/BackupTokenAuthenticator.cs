using System.Security.Cryptography;
using System.Text;
using MysqlAgent.Configuration;

namespace MysqlAgent.Backup;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;token&gt;</c> against the shared backup token in constant time.
/// Both sides are hashed first (SHA-256 of their UTF-8 bytes) so that
/// <see cref="CryptographicOperations.FixedTimeEquals"/> always compares 32 bytes: a wrong guess
/// learns nothing about the token's length or content from the time it takes.
/// </summary>
public sealed class BackupTokenAuthenticator
{
    private const string Scheme = "Bearer ";
    private readonly byte[]? _expectedHash;

    public BackupTokenAuthenticator(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _expectedHash = options.BackupToken is { Value.Length: > 0 } token
            ? SHA256.HashData(Encoding.UTF8.GetBytes(token.Value))
            : null;
    }

    /// <summary>Null when the header carries the right token, else why not (for the log; never the token).</summary>
    public string? Check(string? authorizationHeader)
    {
        if (string.IsNullOrEmpty(authorizationHeader))
        {
            return "no Authorization header";
        }

        if (
            authorizationHeader.Length <= Scheme.Length
            || !authorizationHeader.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
        )
        {
            return "Authorization header is not 'Bearer <token>'";
        }

        var offered = SHA256.HashData(
            Encoding.UTF8.GetBytes(authorizationHeader.AsSpan(Scheme.Length).Trim().ToString())
        );
        if (_expectedHash is null)
        {
            return "this agent has no backup token configured";
        }

        return CryptographicOperations.FixedTimeEquals(offered, _expectedHash)
            ? null
            : "wrong backup token";
    }
}
