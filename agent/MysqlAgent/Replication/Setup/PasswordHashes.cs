using System.Security.Cryptography;
using System.Text;

namespace MysqlAgent.Replication.Setup;

/// <summary>
/// The password hashes the servers store, so the agent can tell whether an account already has the
/// Secret's password without logging in, and can send MariaDB a hash instead of the password.
/// </summary>
public static class PasswordHashes
{
    private const string CryptAlphabet =
        "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary><c>mysql_native_password</c>: <c>*</c> and the upper-case hex of SHA1(SHA1(password)).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Security",
        "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "mysql_native_password is defined as SHA1(SHA1(password)); the server compares this exact hash"
    )]
    public static string NativePassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var inner = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        return "*" + Convert.ToHexString(SHA1.HashData(inner));
    }

    /// <summary>
    /// Whether <paramref name="stored"/> (<c>mysql.user.authentication_string</c> of an account using
    /// <paramref name="plugin"/>) is the hash of <paramref name="password"/>. Plugins it cannot check
    /// answer false, so the password is set again.
    /// </summary>
    public static bool Matches(string plugin, ReadOnlySpan<byte> stored, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return plugin switch
        {
            "" or "mysql_native_password" => stored.SequenceEqual(
                Encoding.ASCII.GetBytes(NativePassword(password))
            ),
            "caching_sha2_password" => CachingSha2Matches(stored, password),
            _ => false,
        };
    }

    /// <summary>
    /// MySQL's <c>caching_sha2_password</c> stores <c>$A$&lt;rounds/1000 as 3 hex digits&gt;$</c>, a
    /// 20-byte salt and the 43-character SHA-256 crypt digest of the password with that salt.
    /// </summary>
    private static bool CachingSha2Matches(ReadOnlySpan<byte> stored, string password)
    {
        const int saltLength = 20;
        const int digestLength = 43;
        if (
            stored.Length != 7 + saltLength + digestLength
            || stored[0] != '$'
            || stored[1] != 'A'
            || stored[2] != '$'
            || stored[6] != '$'
        )
        {
            return false;
        }

        var roundsText = Encoding.ASCII.GetString(stored[3..6]);
        if (
            !int.TryParse(
                roundsText,
                System.Globalization.NumberStyles.AllowHexSpecifier,
                System.Globalization.CultureInfo.InvariantCulture,
                out var thousands
            ) || thousands is < 5 or > 4095
        )
        {
            return false;
        }

        var salt = stored.Slice(7, saltLength).ToArray();
        var digest = Sha256Crypt(Encoding.UTF8.GetBytes(password), salt, thousands * 1000);
        return CryptographicOperations.FixedTimeEquals(digest, stored[(7 + saltLength)..]);
    }

    /// <summary>The SHA-256 crypt digest (Drepper's algorithm, as in glibc and MySQL), base64 in crypt's alphabet.</summary>
    internal static byte[] Sha256Crypt(byte[] key, byte[] salt, int rounds)
    {
        byte[] b;
        using (var ctx = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            ctx.AppendData(key);
            ctx.AppendData(salt);
            ctx.AppendData(key);
            b = ctx.GetHashAndReset();
        }

        byte[] a;
        using (var ctx = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            ctx.AppendData(key);
            ctx.AppendData(salt);
            int i;
            for (i = key.Length; i > 32; i -= 32)
            {
                ctx.AppendData(b);
            }

            ctx.AppendData(b, 0, i);
            for (i = key.Length; i > 0; i >>= 1)
            {
                ctx.AppendData((i & 1) != 0 ? b : key);
            }

            a = ctx.GetHashAndReset();
        }

        byte[] dp;
        using (var ctx = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            for (var i = 0; i < key.Length; i++)
            {
                ctx.AppendData(key);
            }

            dp = ctx.GetHashAndReset();
        }

        var p = new byte[key.Length];
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = dp[i % 32];
        }

        byte[] ds;
        using (var ctx = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            for (var i = 0; i < 16 + a[0]; i++)
            {
                ctx.AppendData(salt);
            }

            ds = ctx.GetHashAndReset();
        }

        var s = new byte[salt.Length];
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = ds[i % 32];
        }

        var c = a;
        using (var ctx = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            for (var r = 0; r < rounds; r++)
            {
                ctx.AppendData((r & 1) != 0 ? p : c);
                if (r % 3 != 0)
                {
                    ctx.AppendData(s);
                }

                if (r % 7 != 0)
                {
                    ctx.AppendData(p);
                }

                ctx.AppendData((r & 1) != 0 ? c : p);
                c = ctx.GetHashAndReset();
            }
        }

        var output = new StringBuilder(43);
        void Encode(byte b2, byte b1, byte b0, int n)
        {
            var w = (b2 << 16) | (b1 << 8) | b0;
            for (var i = 0; i < n; i++)
            {
                output.Append(CryptAlphabet[w & 0x3f]);
                w >>= 6;
            }
        }

        Encode(c[0], c[10], c[20], 4);
        Encode(c[21], c[1], c[11], 4);
        Encode(c[12], c[22], c[2], 4);
        Encode(c[3], c[13], c[23], 4);
        Encode(c[24], c[4], c[14], 4);
        Encode(c[15], c[25], c[5], 4);
        Encode(c[6], c[16], c[26], 4);
        Encode(c[27], c[7], c[17], 4);
        Encode(c[18], c[28], c[8], 4);
        Encode(c[9], c[19], c[29], 4);
        Encode(0, c[31], c[30], 3);
        return Encoding.ASCII.GetBytes(output.ToString());
    }
}
