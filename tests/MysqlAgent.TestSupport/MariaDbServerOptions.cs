namespace MysqlAgent.TestSupport;

/// <summary>How to boot one throwaway <c>mariadbd</c>. The defaults suit a 2-core CI machine.</summary>
public sealed record MariaDbServerOptions
{
    public int ServerId { get; init; } = 1;

    /// <summary><c>--log-bin=mysql-bin --log-slave-updates</c> when true, <c>--skip-log-bin</c> otherwise.</summary>
    public bool LogBin { get; init; } = true;

    public bool GtidStrictMode { get; init; }

    /// <summary><c>--read-only</c>, as on a replica (root keeps writing: SUPER bypasses it).</summary>
    public bool ReadOnly { get; init; }

    public string InnodbBufferPoolSize { get; init; } = "32M";

    /// <summary>Small redo log: install-db writes the whole file, and several servers share one disk.</summary>
    public string InnodbLogFileSize { get; init; } = "16M";

    /// <summary>
    /// An existing datadir to boot (e.g. a prepared clone) instead of a fresh install. It keeps its
    /// own accounts: pass the donor's <see cref="RootPassword"/>, and the fixture changes no user.
    /// </summary>
    public string? DataDir { get; init; }

    /// <summary>Delete <see cref="DataDir"/> on dispose too (a fresh datadir is always deleted).</summary>
    public bool DeleteDataDirOnDispose { get; init; }

    /// <summary>
    /// The root password: set on a fresh install (random when null), or the one to log in with
    /// when booting an existing <see cref="DataDir"/> (empty when null).
    /// </summary>
    public string? RootPassword { get; init; }

    /// <summary>A fixed TCP port; a free one is picked when null.</summary>
    public int? Port { get; init; }

    /// <summary>More <c>mariadbd</c> arguments, appended last so they win (e.g. <c>--gtid-domain-id=2</c>).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>How long to wait for <c>SELECT 1</c> to answer, and for a shutdown to finish.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
