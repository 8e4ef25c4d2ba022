using MysqlAgent.Identity;
using MysqlInit.Errors;

namespace MysqlInit;

internal static class TargetFolder
{
    /// <summary>The folder must exist already: it is a volume shared with mysqld, and creating it here would hide a missing mount.</summary>
    public static void EnsureExists(string confDir)
    {
        if (Directory.Exists(confDir))
        {
            return;
        }

        var problem = File.Exists(confDir) ? "is a file, not a folder" : "does not exist";
        throw new TargetFolderException(
            $"{OptionSpec.ConfDir} {Quoting.Quote(confDir)} {problem}; mount the volume mysqld reads as conf.d there or pass {OptionSpec.ConfDir} an existing folder"
        );
    }

    public static TargetFolderException CannotWrite(string path, string confDir, Exception e)
    {
        var reason = e is UnauthorizedAccessException ? "permission denied" : e.Message;
        return new TargetFolderException(
            $"cannot write {Quoting.Quote(path)} ({Quoting.Quote(reason)}); make {OptionSpec.ConfDir} {Quoting.Quote(confDir)} a writable folder, e.g. an emptyDir the init container's user can write",
            e
        );
    }
}
