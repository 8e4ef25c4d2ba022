namespace MysqlInit;

/// <summary>A file to put in conf.d: its full content is known before anything is written.</summary>
internal sealed record PlannedFile(string Path, byte[] Content, string? CopiedFrom);
