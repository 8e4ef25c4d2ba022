using System.Globalization;
using CliWrap;
using MysqlAgent.Common;
using MysqlLocal.State;

namespace MysqlLocal.Kubelet;

/// <summary>
/// What the mysql image's entrypoint does before it execs mysqld: on an empty volume, install the
/// system tables and give root the Secret's password (as <c>MYSQL_ROOT_PASSWORD</c> would); every
/// time, write the server's own config (paths and ports of this pod) that includes conf.d, where
/// mysql-init put server-id.cnf and the role's config.
/// </summary>
public sealed class MysqlEntrypoint(
    PodPaths pod,
    PodPorts ports,
    DesiredState desired,
    SetPaths set,
    ContainerLog log,
    TimeProvider time
)
{
    /// <summary>Run once, on the first boot after install: sets root's password, kept out of the binary log.</summary>
    public string SecureFile => Path.Combine(pod.Root, "secure-root.sql");

    public static bool IsRoot => Environment.UserName == "root";

    public IReadOnlyList<string> ServerArguments()
    {
        var arguments = new List<string> { "--defaults-file=" + pod.MysqldConfig };
        if (File.Exists(SecureFile))
        {
            arguments.Add("--init-file=" + SecureFile);
        }

        return arguments;
    }

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(pod.DataDir);
        Directory.CreateDirectory(pod.TmpDir);
        WriteConfig();
        if (Directory.Exists(Path.Combine(pod.DataDir, "mysql")))
        {
            return;
        }

        if (pod.Ordinal != 0)
        {
            // A replica's datadir comes from its clone; an empty one here means the clone did not run.
            throw new LocalSetException(
                $"{pod.Name}: {pod.DataDir} holds no database after the clone container: see '{pod.Log("clone")}'"
            );
        }

        await InstallAsync(cancellationToken).ConfigureAwait(false);
    }

    private void WriteConfig()
    {
        var lines = new List<string>
        {
            "# Written by mysql-local for this pod on 127.0.0.1; the role's settings are in conf.d.",
            "[mysqld]",
            "datadir=" + pod.DataDir,
            "socket=" + pod.Socket,
            "pid-file=" + pod.PidFile,
            "tmpdir=" + pod.TmpDir,
            string.Create(CultureInfo.InvariantCulture, $"port={ports.Mysql}"),
            "bind-address=127.0.0.1",
            // Small, so that five pods and the tests fit on a 2-core machine.
            "innodb_buffer_pool_size=64M",
            "innodb_log_file_size=48M",
            "max_connections=64",
            "performance_schema=OFF",
        };
        if (IsRoot)
        {
            lines.Add("user=root");
        }

        lines.Add("!includedir " + pod.ConfDir);
        AtomicFile.Write(pod.MysqldConfig, string.Join('\n', lines) + "\n");
    }

    private async Task InstallAsync(CancellationToken cancellationToken)
    {
        var staging = pod.DataDir + ".install";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        log.Event(
            time,
            $"empty volume: installing the system tables with {desired.InstallDbBinary}"
        );
        var arguments = new List<string>
        {
            "--no-defaults",
            "--datadir=" + staging,
            "--tmpdir=" + pod.TmpDir,
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=48M",
        };
        if (IsRoot)
        {
            arguments.Add("--user=root");
        }

        var result = await Cli.Wrap(desired.InstallDbBinary)
            .WithArguments(arguments)
            .WithEnvironmentVariables(env => env.Set("TMPDIR", pod.TmpDir))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(log.Write))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(log.Write))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new LocalSetException(
                $"{pod.Name}: {desired.InstallDbBinary} exited with code {result.ExitCode}: see '{pod.Log("mysql")}'"
            );
        }

        var password = File.ReadAllText(set.Secret(SecretFiles.RootPassword)).Trim();
        string[] statements =
        [
            "SET sql_log_bin = 0",
            // Accounts named after this machine are ignored under skip-name-resolve; anonymous ones
            // shadow 'repl'@'%' from 127.0.0.1. Neither belongs on a server.
            "DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1'))",
            "DELETE FROM mysql.db WHERE User = ''",
            "DELETE FROM mysql.proxies_priv WHERE User = '' OR Host NOT IN ('localhost', '127.0.0.1', '::1')",
            "FLUSH PRIVILEGES",
            $"ALTER USER 'root'@'localhost' IDENTIFIED BY '{password}'",
            $"CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '{password}'",
            $"ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '{password}'",
            $"CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '{password}'",
            $"ALTER USER 'root'@'%' IDENTIFIED BY '{password}'",
            "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1', 'root'@'%' WITH GRANT OPTION",
        ];
        AtomicFile.Write(
            SecureFile,
            string.Join(";\n", statements) + ";\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite
        );

        // The system schema folder moves last: mysqld starts on this volume only when it is there,
        // so a kill in the middle of the move means a fresh install next time, never half a one.
        var entries = Directory
            .EnumerateFileSystemEntries(staging)
            .OrderBy(e => Path.GetFileName(e) == "mysql")
            .ToList();
        foreach (var entry in entries)
        {
            var target = Path.Combine(pod.DataDir, Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }

                Directory.Move(entry, target);
            }
            else
            {
                File.Move(entry, target, overwrite: true);
            }
        }

        Directory.Delete(staging, recursive: true);
    }

    /// <summary>Once the pod is ready, root's password works: the secure file is not needed again.</summary>
    public void Secured()
    {
        if (File.Exists(SecureFile))
        {
            File.Delete(SecureFile);
        }
    }
}
