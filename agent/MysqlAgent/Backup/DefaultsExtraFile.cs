using System.Text;

namespace MysqlAgent.Backup;

/// <summary>
/// The backup user's credentials as a <c>[client]</c> option file (0600) in a private temp folder
/// (0700), so that the password never appears on a command line (<c>/proc/&lt;pid&gt;/cmdline</c> is
/// world-readable). The folder also serves as the tool's <c>--target-dir</c>. Dispose deletes both.
/// </summary>
public sealed class DefaultsExtraFile : IDisposable
{
    private const string FolderPrefix = "mysql-agent-backup-";

    private DefaultsExtraFile(string folder)
    {
        Folder = folder;
        FilePath = Path.Combine(folder, "client.cnf");
        TargetDir = Path.Combine(folder, "target");
    }

    /// <summary>The private folder; its unique name also identifies the tool's process.</summary>
    public string Folder { get; }

    public string FilePath { get; }

    public string TargetDir { get; }

    /// <summary>The tools only honour it as their very first argument.</summary>
    public string Argument => $"--defaults-extra-file={FilePath}";

    public static DefaultsExtraFile Create(string user, string password)
    {
        // CreateTempSubdirectory makes the folder 0700 on Unix.
        var folder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        var file = new DefaultsExtraFile(folder);
        try
        {
            Directory.CreateDirectory(file.TargetDir);
            var fileOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
            };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(file.FilePath, fileOptions);
            stream.Write(new UTF8Encoding(false).GetBytes(Render(user, password)));
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    internal static string Render(string user, string password) =>
        $"[client]\nuser={Quote(user)}\npassword={Quote(password)}\n";

    /// <summary>
    /// A double-quoted option-file value: quotes keep '#', ';' and spaces literal; the escapes the
    /// MySQL/MariaDB option-file reader undoes keep '"', '\' and line breaks literal.
    /// </summary>
    internal static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => quoted.Append(@"\\"),
                '"' => quoted.Append("\\\""),
                '\n' => quoted.Append(@"\n"),
                '\r' => quoted.Append(@"\r"),
                '\t' => quoted.Append(@"\t"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Deletes the folder and the file in it; false with the reason when it could not.</summary>
    public bool TryDelete(out string? error)
    {
        try
        {
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }

            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.Message;
            return false;
        }
    }

    public void Dispose() => TryDelete(out _);
}
