using System.Security.Cryptography;
using CliWrap;

namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>
/// Which MySQL image the tests run and through which engine, and why they cannot run here, if so.
/// <c>MYSQL_AGENT_TEST_MYSQL_IMAGE</c> picks another image (for example <c>mysql:8.4</c> with Docker);
/// <c>DOCKER_HOST</c> another engine; <c>MYSQL_AGENT_TEST_MYSQL_REQUIRED=1</c> (CI) turns every
/// reason to skip into a failure.
/// </summary>
internal static class MysqlEnvironment
{
    public const string ImageVariable = "MYSQL_AGENT_TEST_MYSQL_IMAGE";
    public const string XtraBackupImageVariable = "MYSQL_AGENT_TEST_XTRABACKUP_IMAGE";
    public const string RequiredVariable = "MYSQL_AGENT_TEST_MYSQL_REQUIRED";

    private static readonly Lazy<string?> LazySkipReason = new(FindSkipReason);

    public static string? ImageOverride => Environment.GetEnvironmentVariable(ImageVariable);

    public static bool Required => Environment.GetEnvironmentVariable(RequiredVariable) == "1";

    /// <summary>The repository's root (the folder holding images/mysql-test).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                dir is not null;
                dir = dir.Parent
            )
            {
                if (File.Exists(Path.Combine(dir.FullName, "images", "mysql-test", "build.sh")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException(
                $"images/mysql-test/build.sh not found above {AppContext.BaseDirectory}"
            );
        }
    }

    /// <summary><c>localhost/mysql-agent-test-mysql:&lt;hash&gt;</c>, the tag images/mysql-test/build.sh gives.</summary>
    public static string DefaultImage
    {
        get
        {
            var folder = Path.Combine(RepositoryRoot, "images", "mysql-test");
            var bytes = File.ReadAllBytes(Path.Combine(folder, "build.sh"))
                .Concat(File.ReadAllBytes(Path.Combine(folder, "entrypoint.sh")))
                .ToArray();
            return "localhost/mysql-agent-test-mysql:"
                + Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
        }
    }

    public static string Image => ImageOverride ?? DefaultImage;

    /// <summary>True when the tests start their own <c>podman system service</c> (no DOCKER_HOST given).</summary>
    public static bool UsesOwnPodman =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST"));

    /// <summary>Null when the MySQL tests can run; else one line saying why not and what to do.</summary>
    public static string? SkipReason => LazySkipReason.Value;

    public static string Podman => "/usr/bin/podman";

    private static string? FindSkipReason()
    {
        if (!UsesOwnPodman)
        {
            return null;
        }

        if (!File.Exists(Podman))
        {
            return "no container engine: DOCKER_HOST is not set and podman is not installed (apt-get install podman runc, then ./dev mysql-image)";
        }

        if (Environment.UserName != "root")
        {
            return "the MySQL tests run rootful podman: run them as root, or set DOCKER_HOST to another engine";
        }

        if (ImageOverride is not null)
        {
            return null;
        }

        var image = DefaultImage;
        var exists = Cli.Wrap(Podman)
            .WithArguments(["image", "exists", image])
            .WithStandardOutputPipe(PipeTarget.ToStream(Stream.Null))
            .WithStandardErrorPipe(PipeTarget.ToStream(Stream.Null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync()
            .Task.GetAwaiter()
            .GetResult();
        return exists.IsSuccess
            ? null
            : $"the MySQL test image {image} is missing: build it with ./dev mysql-image (as root)";
    }
}

/// <summary>A fact against real MySQL: skipped with the reason when no engine or image is here (unless CI requires it).</summary>
public sealed class MysqlFactAttribute : FactAttribute
{
    public MysqlFactAttribute()
    {
        if (MysqlEnvironment.SkipReason is { } reason && !MysqlEnvironment.Required)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory against real MySQL, skipped like <see cref="MysqlFactAttribute"/>.</summary>
public sealed class MysqlTheoryAttribute : TheoryAttribute
{
    public MysqlTheoryAttribute()
    {
        if (MysqlEnvironment.SkipReason is { } reason && !MysqlEnvironment.Required)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that needs a Percona XtraBackup image as well (<c>MYSQL_AGENT_TEST_XTRABACKUP_IMAGE</c>).</summary>
public sealed class XtraBackupFactAttribute : FactAttribute
{
    public XtraBackupFactAttribute()
    {
        if (
            string.IsNullOrEmpty(
                Environment.GetEnvironmentVariable(MysqlEnvironment.XtraBackupImageVariable)
            )
        )
        {
            Skip =
                $"no XtraBackup here: Debian packages none; set {MysqlEnvironment.XtraBackupImageVariable} to a Percona XtraBackup image matching the MySQL image";
        }
        else if (MysqlEnvironment.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
