namespace MysqlInit;

internal sealed record FileResult(string Path, FileOutcome Outcome);
