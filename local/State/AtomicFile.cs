namespace MysqlLocal.State;

/// <summary>Writes a file whole or not at all: a reader never sees half of it.</summary>
public static class AtomicFile
{
    public static void Write(string path, string content, UnixFileMode? mode = null)
    {
        var temp = path + ".tmp";
        using (
            var stream = new FileStream(
                temp,
                new FileStreamOptions
                {
                    Mode = FileMode.Create,
                    Access = FileAccess.Write,
                    UnixCreateMode = mode,
                }
            )
        )
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        File.Move(temp, path, overwrite: true);
    }
}
