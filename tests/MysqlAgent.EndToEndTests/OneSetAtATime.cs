namespace MysqlAgent.EndToEndTests;

/// <summary>One replica set at a time: three to five mariadbd on a 2-core machine are enough.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneSetAtATime
{
    public const string Name = "local replica set";
}
