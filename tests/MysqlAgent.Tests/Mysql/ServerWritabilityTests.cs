using MysqlAgent.Mysql;

namespace MysqlAgent.Tests.Mysql;

public sealed class ServerWritabilityTests
{
    [Theory]
    [InlineData("OFF", "OFF", true)]
    [InlineData("OFF", null, true)] // MariaDB: no super_read_only
    [InlineData("ON", null, false)]
    [InlineData("ON", "OFF", false)]
    [InlineData("OFF", "ON", false)] // MySQL: super_read_only alone blocks writes (and sets read_only)
    [InlineData("1", "0", false)]
    [InlineData("0", "0", true)]
    [InlineData(null, null, true)]
    public void A_server_is_writable_only_when_neither_flag_is_on(
        string? readOnly,
        string? superReadOnly,
        bool writable
    )
    {
        Assert.Equal(
            writable,
            ServerWritability.IsWritable(
                ServerWritability.Flag(readOnly),
                ServerWritability.Flag(superReadOnly)
            )
        );
    }
}
