using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

public sealed class InMemoryLeaseStoreTests : LeaseStoreContract
{
    private readonly InMemoryLeaseStore _store = new();

    protected override ILeaseStore NewClient() => _store;
}
