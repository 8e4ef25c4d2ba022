using System.Globalization;
using System.Text;

namespace MysqlAgent.Identity;

/// <summary>
/// Puts user input into a one-line message: quoted, with control characters escaped, not printed.
/// Shared by the pod identity's errors and mysql-init's (which references this assembly).
/// </summary>
public static class Quoting
{
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }
}
