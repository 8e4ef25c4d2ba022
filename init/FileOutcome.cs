namespace MysqlInit;

internal enum FileOutcome
{
    Written,
    Unchanged,
    Removed,
}
