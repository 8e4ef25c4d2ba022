using System.Text;

namespace MysqlInit;

internal static class HelpText
{
    public static string Build()
    {
        var text = new StringBuilder();
        text.AppendLine(
                "mysql-init: writes the MySQL configuration of one StatefulSet pod into conf.d:"
            )
            .AppendLine(
                "  server-id.cnf (server-id = offset + ordinal), and primary.cnf for ordinal 0 or"
            )
            .AppendLine("  replica.cnf otherwise, copied from the ConfigMap folder.")
            .AppendLine()
            .AppendLine("Usage: mysql-init [--option value | --option=value]...")
            .AppendLine()
            .AppendLine(
                "Options (an option beats its environment variable, which beats the default):"
            );

        foreach (var spec in OptionSpec.All)
        {
            var left = spec.TakesValue ? $"{spec.Name} {spec.ValueName}" : spec.Name;
            text.Append("  ").Append(left.PadRight(26)).AppendLine(spec.Description);
            if (spec.EnvironmentVariable is not null || spec.Default is not null)
            {
                text.Append(' ', 28)
                    .Append("env ")
                    .Append(spec.EnvironmentVariable ?? "-")
                    .Append(", default ")
                    .AppendLine(spec.Default ?? "none");
            }
        }

        return text.AppendLine()
            .AppendLine("Exit codes:")
            .AppendLine($"  {ExitCodes.Success}  success (or help, version, dry run)")
            .AppendLine($"  {ExitCodes.Usage}  usage: unknown option, missing or malformed value")
            .AppendLine(
                $"  {ExitCodes.BadHostname}  hostname missing or without a valid -<ordinal>"
            )
            .AppendLine(
                $"  {ExitCodes.ServerIdOutOfRange}  server-id (offset + ordinal) outside 1..4294967295"
            )
            .AppendLine(
                $"  {ExitCodes.SourceUnreadable}  primary.cnf or replica.cnf missing or unreadable"
            )
            .AppendLine($"  {ExitCodes.TargetUnwritable}  conf.d folder missing or unwritable")
            .ToString();
    }
}
