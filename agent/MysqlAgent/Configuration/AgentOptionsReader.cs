using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Identity;

namespace MysqlAgent.Configuration;

/// <summary>Turns raw option values into <see cref="AgentOptions"/>, reporting every bad value at once.</summary>
public static class AgentOptionsReader
{
    public static AgentOptions Read(OptionValues values)
    {
        var problems = new List<string>(values.Problems);

        PodIdentity? pod = null;
        var hostname = values.Get("hostname");
        if (!PodIdentity.TryParse(hostname, out pod, out var podError))
        {
            problems.Add($"--hostname: {podError}");
        }

        var offset = ReadNumber(values, "server-id-offset", 0, uint.MaxValue, problems);
        uint serverId = 0;
        if (pod is not null && offset is not null)
        {
            try
            {
                serverId = ServerId.Compute(pod.Ordinal, (ulong)offset.Value);
            }
            catch (ServerIdOutOfRangeException e)
            {
                problems.Add(e.Message);
            }
        }

        var service = Required(values, "service", problems);
        var backupPort = (int)(ReadNumber(values, "backup-port", 1, 65535, problems) ?? 0);
        var httpPort = (int)(ReadNumber(values, "http-port", 1, 65535, problems) ?? 0);
        var mysqlPort = (int)(ReadNumber(values, "mysql-port", 1, 65535, problems) ?? 0);
        var primaryPort = (int)(ReadNumber(values, "primary-port", 1, 65535, problems) ?? 0);

        Endpoint? donor = null;
        if (values.Get("donor") is { } donorText)
        {
            if (Endpoint.TryParse(donorText, backupPort, out var parsed))
            {
                donor = parsed;
            }
            else
            {
                problems.Add($"--donor '{donorText}' is not host or host:port");
            }
        }
        else if (pod is { Ordinal: > 0 })
        {
            donor = new Endpoint(pod.PeerHost(pod.Ordinal - 1, service), backupPort);
        }

        var primary = new Endpoint(
            values.Get("primary-host") ?? pod?.PrimaryHost(service) ?? "",
            primaryPort
        );

        var options = new AgentOptions
        {
            Pod = pod ?? new PodIdentity("invalid-0", "invalid", 0),
            Service = service,
            ServerId = serverId,
            DataDir = Required(values, "data-dir", problems),
            StorageTarget = values.Get("target"),
            S3Endpoint = values.Get("s3-endpoint"),
            S3Region = Required(values, "s3-region", problems),
            S3PathStyle = ReadSwitch(values, "s3-path-style", problems),
            S3CaFile = values.Get("s3-ca-file"),
            S3AccessKeyIdFile = values.Get("s3-access-key-id-file"),
            S3SecretAccessKeyFile = values.Get("s3-secret-access-key-file"),
            RestoreFrom = values.Get("from"),
            RestoreBackupId = values.Get("backup"),
            RestoreLatest = ReadSwitch(values, "latest", problems),
            RestoreToTime = ReadUtcTime(values, "to-time", problems),
            RestoreToGtid = values.Get("to-gtid"),
            MysqldPath = values.Get("mysqld-path"),
            MysqlbinlogPath = values.Get("mysqlbinlog-path"),
            MysqlClientPath = values.Get("mysql-client-path"),
            KeepBackups = (int)(ReadNumber(values, "keep-backups", 1, 100000, problems) ?? 7),
            KeepAge = TimeSpan.FromDays(ReadNumber(values, "keep-days", 0, 36500, problems) ?? 7),
            PlanOnly = ReadSwitch(values, "plan-only", problems),
            BinlogArchiveInterval = TimeSpan.FromSeconds(
                ReadNumber(values, "binlog-archive-interval", 0, 86400, problems) ?? 60
            ),
            LocalMysql = new Endpoint(Required(values, "mysql-host", problems), mysqlPort),
            AdminUser = Required(values, "admin-user", problems),
            AdminPassword = ReadSecret(values, "admin-password", problems),
            ReplicationUser = Required(values, "replication-user", problems),
            ReplicationPassword = ReadSecret(values, "replication-password", problems),
            BackupUser = Required(values, "backup-user", problems),
            BackupPassword = ReadSecret(values, "backup-password", problems),
            BackupToken = ReadSecret(values, "backup-token", problems),
            BackupPort = backupPort,
            MaxConcurrentBackups = (int)(
                ReadNumber(values, "max-concurrent-backups", 1, 64, problems) ?? 1
            ),
            BackupTool = ReadEnum(values, "backup-tool", BackupToolKind.Auto, problems),
            BackupToolPath = values.Get("backup-tool-path"),
            StreamToolPath = values.Get("stream-tool-path"),
            LegacyStreamPort = (int)(
                ReadNumber(values, "legacy-stream-port", 0, 65535, problems) ?? 0
            ),
            PrimaryProxyPort = (int)(
                ReadNumber(values, "primary-proxy-port", 0, 65535, problems) ?? 0
            ),
            Donor = donor,
            CloneDeadline = TimeSpan.FromSeconds(
                ReadNumber(values, "clone-deadline-seconds", 1, 86400 * 7, problems) ?? 600
            ),
            KeepErrantDataDirs = (int)(
                ReadNumber(values, "keep-errant-datadirs", 0, 100, problems) ?? 1
            ),
            Primary = primary,
            ConnectRetrySeconds = (int)(
                ReadNumber(values, "connect-retry-seconds", 1, 86400, problems) ?? 10
            ),
            ReplicationMode = ReadEnum(values, "replication-mode", ReplicationMode.Auto, problems),
            MaxLag = TimeSpan.FromSeconds(
                ReadNumber(values, "max-lag-seconds", 0, 86400 * 7, problems) ?? 30
            ),
            HeartbeatInterval = TimeSpan.FromSeconds(
                ReadNumber(values, "heartbeat-interval", 0, 3600, problems) ?? 1
            ),
            HttpPort = httpPort,
            BindAddress = Required(values, "bind-address", problems),
            LogFormat = ReadEnum(values, "log-format", LogFormat.Text, problems),
            LogLevel = ReadEnum(values, "log-level", LogLevel.Information, problems),
            ConnectTo = ConnectToMap.Parse(values.GetAll("connect-to"), problems),
            DryRun = ReadSwitch(values, "dry-run", problems),
            SetId = values.Get("set-id") ?? "",
            Tls = Tls.TlsFiles.Read(values, problems),
        };

        if (values.Get("stream-compression") is { } compressionText)
        {
            if (Backup.Protocol.StreamCompression.TryParse(compressionText, out var compression))
            {
                options = options with { StreamCompression = compression };
            }
            else
            {
                problems.Add(
                    $"--stream-compression '{compressionText}' is not {Backup.Protocol.StreamCompression.Syntax}"
                );
            }
        }

        options = ReadElection(values, options, problems);

        if (values.Get("backup-schedule") is { Length: > 0 } cron)
        {
            options = options with
            {
                BackupSchedule = Archive.Schedule.BackupSchedule.Parse(
                    cron,
                    values.Get("backup-schedule-time-zone"),
                    out var scheduleProblem
                ),
            };
            if (scheduleProblem is not null)
            {
                problems.Add(scheduleProblem);
            }
        }
        else if (
            Archive.Schedule.BackupSchedule.Parse(
                "* * * * *",
                values.Get("backup-schedule-time-zone"),
                out var zoneProblem
            )
            is null
        )
        {
            // A zone without a schedule does nothing, but a misspelt one is still a mistake to name.
            problems.Add(zoneProblem!);
        }

        if (httpPort != 0 && httpPort == backupPort)
        {
            problems.Add(
                $"--http-port and --backup-port are both {httpPort}; give them different ports"
            );
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return options;
    }

    private static AgentOptions ReadElection(
        OptionValues values,
        AgentOptions options,
        List<string> problems
    )
    {
        var storeText = values.Get("lease-store");
        if (!LeaseStoreChoice.TryParse(storeText, out var store))
        {
            problems.Add($"--lease-store '{storeText}' is not {LeaseStoreChoice.Syntax}");
        }

        var defaults = Election.ElectionTimings.Default;
        var lease =
            ReadSeconds(values, "lease-duration-seconds", problems) ?? defaults.LeaseDuration;
        var renew =
            ReadSeconds(values, "renew-deadline-seconds", problems) ?? defaults.RenewDeadline;
        var retry = ReadSeconds(values, "retry-period-seconds", problems) ?? defaults.RetryPeriod;
        var fence = ReadSeconds(values, "fence-budget-seconds", problems) ?? defaults.FenceBudget;
        // One store call may take at most the retry period (2 s by default).
        var timings = new Election.ElectionTimings(
            lease,
            renew,
            retry,
            fence,
            retry < defaults.ApiCallTimeout ? retry : defaults.ApiCallTimeout
        );
        if (store.Enabled)
        {
            problems.AddRange(
                timings
                    .Problems()
                    .Select(p =>
                        $"--lease-duration-seconds, --renew-deadline-seconds, --retry-period-seconds, --fence-budget-seconds: {p}"
                    )
            );
        }

        var durability = values.Get("durability") ?? "semi-sync";
        if (durability is not ("semi-sync" or "async"))
        {
            problems.Add($"--durability '{durability}' is not semi-sync or async");
        }

        return options with
        {
            LeaseStore = store,
            SemiSync = durability != "async",
            MaxLagOnFailover = (ulong)(
                ReadNumber(values, "max-lag-on-failover", 0, long.MaxValue, problems) ?? 1000
            ),
            ElectionTimings = timings,
            SwitchoverTo = values.Get("to"),
            RecloneErrant = ReadSwitch(values, "reclone-errant", problems),
            PrimaryStartTimeout =
                ReadSeconds(values, "primary-start-timeout-seconds", problems)
                ?? TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>A positive number of seconds, decimals allowed (tests run short elections).</summary>
    private static TimeSpan? ReadSeconds(OptionValues values, string name, List<string> problems)
    {
        var text = values.Get(name);
        if (text is null)
        {
            return null;
        }

        if (
            !double.TryParse(
                text,
                NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture,
                out var seconds
            )
            || seconds <= 0
            || seconds > 86400
        )
        {
            problems.Add($"--{name} '{text}' is not a number of seconds above 0 and at most 86400");
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Secrets come from the file named by --x-file, else MYSQL_AGENT_X; an empty secret is an error.</summary>
    private static Secret? ReadSecret(OptionValues values, string name, List<string> problems)
    {
        var spec = OptionCatalog.Find(name)!;
        var fileOption = spec.FileOptionName;
        if (values.Get(fileOption) is { } path)
        {
            try
            {
                var text = File.ReadAllText(path).TrimEnd('\r', '\n');
                if (text.Length == 0)
                {
                    problems.Add(
                        $"--{fileOption}: {path} is empty; put the {name.Replace('-', ' ')} in it"
                    );
                    return null;
                }

                return new Secret(text, $"file {path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(
                    $"--{fileOption}: cannot read {path} ({e.Message}); is the Secret mounted?"
                );
                return null;
            }
        }

        if (values.Get(name) is { } value)
        {
            if (value.Length == 0)
            {
                problems.Add(
                    $"{spec.EnvironmentName} is empty; empty passwords and tokens are refused"
                );
                return null;
            }

            return new Secret(value, spec.EnvironmentName);
        }

        return null;
    }

    private static string Required(OptionValues values, string name, List<string> problems)
    {
        var value = values.Get(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"--{name} must not be empty");
            return "";
        }

        return value;
    }

    /// <summary>A flag that may be turned off: true or 1, false or 0 (the command line gives true or false).</summary>
    /// <summary>An absolute UTC time such as 2026-12-07T14:03:00Z; a time without its zone is refused, not guessed.</summary>
    private static DateTimeOffset? ReadUtcTime(
        OptionValues values,
        string name,
        List<string> problems
    )
    {
        if (values.Get(name) is not { } text)
        {
            return null;
        }

        if (
            text.EndsWith('Z')
            && DateTimeOffset.TryParse(
                text,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time
            )
        )
        {
            return time;
        }

        problems.Add(
            $"--{name} '{text}' is not a UTC time: write it as 2026-12-07T14:03:00Z (the trailing Z says UTC)"
        );
        return null;
    }

    private static bool ReadSwitch(OptionValues values, string name, List<string> problems)
    {
        var byDefault = bool.TryParse(OptionCatalog.Find(name)?.Default, out var parsed) && parsed;
        switch (values.Get(name))
        {
            case null:
                return byDefault;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            case var text:
                problems.Add($"--{name} '{text}' is neither true nor false");
                return byDefault;
        }
    }

    private static long? ReadNumber(
        OptionValues values,
        string name,
        long min,
        long max,
        List<string> problems
    )
    {
        var text = values.Get(name);
        if (text is null)
        {
            return null;
        }

        if (
            !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number < min
            || number > max
        )
        {
            problems.Add($"--{name} '{text}' is not a whole number from {min} to {max}");
            return null;
        }

        return number;
    }

    private static T ReadEnum<T>(
        OptionValues values,
        string name,
        T fallback,
        List<string> problems
    )
        where T : struct, Enum
    {
        var text = values.Get(name);
        if (text is null)
        {
            return fallback;
        }

        if (
            Enum.TryParse<T>(
                text.Replace("-", "", StringComparison.Ordinal),
                ignoreCase: true,
                out var parsed
            ) && Enum.IsDefined(parsed)
        )
        {
            return parsed;
        }

        problems.Add(
            $"--{name} '{text}' is not one of: {string.Join(", ", Enum.GetNames<T>().Select(Kebab))}"
        );
        return fallback;
    }

    private static string Kebab(string pascal) =>
        string.Concat(
            pascal.Select(
                (c, i) =>
                    i > 0 && char.IsUpper(c)
                        ? "-" + char.ToLowerInvariant(c)
                        : char.ToLowerInvariant(c).ToString()
            )
        );
}
