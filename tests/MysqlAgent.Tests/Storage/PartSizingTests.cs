using MysqlAgent.Storage;

namespace MysqlAgent.Tests.Storage;

public sealed class PartSizingTests
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;

    [Theory]
    [InlineData(null, 32 * MiB)]
    [InlineData(0L, 32 * MiB)]
    [InlineData(1L, 5 * MiB)]
    [InlineData(10 * GiB, 6 * MiB)]
    [InlineData(1024 * GiB, 525 * MiB)]
    [InlineData(100L * 1024 * GiB, 1 * GiB)]
    public void The_first_part_spreads_the_expected_size_over_two_thousand_parts(
        long? expected,
        long first
    ) => Assert.Equal(first, PartSizing.FirstPart(expected));

    [Theory]
    [InlineData(1L)]
    [InlineData(5 * GiB)]
    [InlineData(1024 * GiB)]
    public void An_upload_five_times_larger_than_expected_still_fits_in_ten_thousand_parts(
        long expected
    ) => Assert.True(PartSizing.Capacity(PartSizing.FirstPart(expected)) >= 5 * expected);

    [Fact]
    public void At_the_largest_part_an_upload_holds_S3s_largest_object_of_five_tebibytes() =>
        Assert.True(PartSizing.Capacity(PartSizing.FirstPart(100L * 1024 * GiB)) >= 5 * 1024 * GiB);

    [Fact]
    public void Without_an_estimate_an_upload_holds_more_than_a_terabyte()
    {
        Assert.True(PartSizing.Capacity(PartSizing.FirstPart(null)) > 1024 * GiB);
    }

    [Theory]
    [InlineData(1, 5 * MiB)]
    [InlineData(2000, 5 * MiB)]
    [InlineData(2001, 10 * MiB)]
    [InlineData(10_000, 80 * MiB)]
    public void Parts_double_every_two_thousand(int part, long size) =>
        Assert.Equal(size, PartSizing.Part(5 * MiB, part));

    [Fact]
    public void A_part_is_never_below_the_five_mebibyte_minimum() =>
        Assert.All(
            new long?[] { null, 0, 1, 5 * MiB, 100 * MiB },
            e => Assert.True(PartSizing.FirstPart(e) >= PartSizing.MinPartBytes)
        );
}
