using System.Globalization;
using System.Text;

namespace MysqlAgent.Configuration;

/// <summary>The resolved configuration as one log line, secrets shown only by their source.</summary>
public static class ConfigurationDescription
{
    public static string Describe(AgentOptions o)
    {
        var b = new StringBuilder();
        void Add(string key, object? value)
        {
            if (b.Length > 0)
            {
                b.Append(' ');
            }

            b.Append(key)
                .Append('=')
                .Append(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "-");
        }

        Add("pod", o.Pod.PodName);
        Add("ordinal", o.Pod.Ordinal);
        Add("server-id", o.ServerId);
        Add("service", o.Service);
        Add("data-dir", o.DataDir);
        Add("mysql", o.LocalMysql);
        Add("admin-user", o.AdminUser);
        Add("admin-password", o.AdminPassword?.ToString() ?? "<none>");
        Add("replication-user", o.ReplicationUser);
        Add("replication-password", o.ReplicationPassword?.ToString() ?? "<none>");
        Add("backup-user", o.BackupUser);
        Add("backup-password", o.BackupPassword?.ToString() ?? "<none>");
        Add("backup-token", o.BackupToken?.ToString() ?? "<none>");
        Add("backup-port", o.BackupPort);
        Add("max-concurrent-backups", o.MaxConcurrentBackups);
        Add("backup-tool", o.BackupTool);
        Add("legacy-stream-port", o.LegacyStreamPort == 0 ? "off" : o.LegacyStreamPort);
        Add("primary-proxy-port", o.PrimaryProxyPort == 0 ? "off" : o.PrimaryProxyPort);
        Add("stream-compression", o.StreamCompression);
        Add("donor", o.Donor?.ToString() ?? "none");
        Add("primary", o.Primary);
        Add("replication-mode", o.ReplicationMode);
        Add("max-lag-seconds", o.MaxLag.TotalSeconds);
        Add(
            "heartbeat-interval",
            o.HeartbeatInterval == TimeSpan.Zero ? "off" : o.HeartbeatInterval.TotalSeconds
        );
        Add("http-port", o.HttpPort);
        Add("tls", o.Tls?.ToString() ?? "off");
        Add("bind-address", o.BindAddress);
        Add(
            "connect-to",
            o.ConnectTo.Entries.Count == 0
                ? "none"
                : string.Join(",", o.ConnectTo.Entries.Select(e => $"{e.Key}->{e.Value}"))
        );
        if (o.LeaseStore.Enabled)
        {
            var t = o.ElectionTimings;
            Add("lease-store", o.LeaseStore);
            Add(
                "election",
                $"lease {t.LeaseDuration.TotalSeconds}s renew {t.RenewDeadline.TotalSeconds}s retry {t.RetryPeriod.TotalSeconds}s fence {t.FenceBudget.TotalSeconds}s start-timeout {o.PrimaryStartTimeout.TotalSeconds}s"
            );
        }

        return b.ToString();
    }
}
