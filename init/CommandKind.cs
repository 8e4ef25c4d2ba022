namespace MysqlInit;

internal enum CommandKind
{
    Run,
    Help,
    Version,
}
