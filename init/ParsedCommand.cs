namespace MysqlInit;

/// <summary>The parser's answer: print help, print the version, or run with these options.</summary>
internal sealed record ParsedCommand(CommandKind Kind, InitOptions? Options)
{
    public static readonly ParsedCommand Help = new(CommandKind.Help, null);
    public static readonly ParsedCommand Version = new(CommandKind.Version, null);
}
