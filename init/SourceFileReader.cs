using MysqlAgent.Identity;
using MysqlInit.Errors;

namespace MysqlInit;

/// <summary>Reads a file of the mounted ConfigMap, turning every way it can fail into one clear message.</summary>
internal static class SourceFileReader
{
    public static byte[] Read(string path, string configMapDir)
    {
        var hint =
            $"is the ConfigMap mounted at {OptionSpec.ConfigMapDir} ({Quoting.Quote(configMapDir)}) and does it have the key {Path.GetFileName(path)}?";

        if (Directory.Exists(path))
        {
            throw new SourceFileException(
                $"source {Quoting.Quote(path)} is a folder, not a file; {hint}"
            );
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SourceFileException(
                Directory.Exists(configMapDir)
                    ? $"source file {Quoting.Quote(path)} does not exist; {hint}"
                    : $"{OptionSpec.ConfigMapDir} {Quoting.Quote(configMapDir)} does not exist, so {Path.GetFileName(path)} cannot be read from it; mount the ConfigMap there or pass {OptionSpec.ConfigMapDir}",
                e
            );
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SourceFileException(
                $"source file {Quoting.Quote(path)} cannot be read (permission denied); let the init container's user read it, e.g. the ConfigMap volume's defaultMode 0644",
                e
            );
        }
        catch (IOException e)
        {
            throw new SourceFileException(
                $"source file {Quoting.Quote(path)} cannot be read ({Quoting.Quote(e.Message)}); {hint}",
                e
            );
        }
    }
}
