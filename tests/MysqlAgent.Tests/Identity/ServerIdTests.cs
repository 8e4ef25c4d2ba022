using MysqlAgent.Identity;

namespace MysqlAgent.Tests.Identity;

public class ServerIdTests
{
    [Theory]
    [InlineData(0, 100UL, 100U)]
    [InlineData(1, 100UL, 101U)]
    [InlineData(12, 100UL, 112U)]
    [InlineData(1, 0UL, 1U)]
    [InlineData(0, 1UL, 1U)]
    [InlineData(0, 4294967295UL, 4294967295U)]
    [InlineData(5, 4294967290UL, 4294967295U)]
    [InlineData(2147483647, 0UL, 2147483647U)]
    [InlineData(2147483647, 2147483648UL, 4294967295U)]
    public void Server_id_is_offset_plus_ordinal(int ordinal, ulong offset, uint expected) =>
        Assert.Equal(expected, ServerId.Compute(ordinal, offset));

    [Fact]
    public void Offset_zero_for_ordinal_zero_would_give_the_reserved_server_id_0()
    {
        var exception = Assert.Throws<ServerIdOutOfRangeException>(() => ServerId.Compute(0, 0));

        Assert.Contains("server-id 0", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--server-id-offset", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, exception.Ordinal);
        Assert.Equal(0UL, exception.Offset);
    }

    [Theory]
    [InlineData(1, 4294967295UL)]
    [InlineData(6, 4294967290UL)]
    [InlineData(0, 4294967296UL)]
    [InlineData(2147483647, 2147483649UL)]
    [InlineData(0, ulong.MaxValue)]
    [InlineData(2147483647, ulong.MaxValue)]
    public void Server_id_above_4294967295_is_rejected_naming_the_values_and_the_fix(
        int ordinal,
        ulong offset
    )
    {
        var exception = Assert.Throws<ServerIdOutOfRangeException>(() =>
            ServerId.Compute(ordinal, offset)
        );

        Assert.Contains($"offset {offset}", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"ordinal {ordinal}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("4294967295", exception.Message, StringComparison.Ordinal);
        Assert.Contains("change --server-id-offset", exception.Message, StringComparison.Ordinal);
        Assert.Equal(ordinal, exception.Ordinal);
        Assert.Equal(offset, exception.Offset);
    }

    [Fact]
    public void Negative_ordinal_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ServerId.Compute(-1, 100));
}
