using MysqlAgent.Common;
using MysqlInit.Errors;

namespace MysqlInit;

/// <summary>Carries out a plan in conf.d; running it twice leaves the same bytes as running it once.</summary>
internal static class ConfigWriter
{
    // Fixed rather than umask-dependent: mysqld runs as another user and must read the files.
    private const UnixFileMode ReadableByAll =
        UnixFileMode.UserRead
        | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead
        | UnixFileMode.OtherRead;

    /// <exception cref="TargetFolderException">conf.d is missing or a write fails.</exception>
    public static IReadOnlyList<FileResult> Apply(ConfigPlan plan, string confDir)
    {
        TargetFolder.EnsureExists(confDir);
        var results = new List<FileResult>();
        var current = confDir;
        try
        {
            AtomicFile.SweepLeftovers(confDir);

            // The other role's file goes first: mysqld must never see log-bin and super-read-only together.
            current = plan.StaleRoleFile;
            if (File.Exists(plan.StaleRoleFile))
            {
                File.Delete(plan.StaleRoleFile);
                results.Add(new FileResult(plan.StaleRoleFile, FileOutcome.Removed));
            }

            foreach (var file in plan.Writes)
            {
                current = file.Path;
                var written = AtomicFile.WriteIfChanged(file.Path, file.Content, ReadableByAll);
                results.Add(
                    new FileResult(file.Path, written ? FileOutcome.Written : FileOutcome.Unchanged)
                );
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TargetFolder.CannotWrite(current, confDir, e);
        }

        return results;
    }
}
