namespace MysqlAgent.Tests.Init;

/// <summary>Every test class that runs the binary shares one publish.</summary>
[CollectionDefinition(Name)]
public sealed class PublishedMysqlInit : ICollectionFixture<MysqlInitBinaryFixture>
{
    public const string Name = "mysql-init binary";
}
