using System.Buffers.Binary;
using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Tests.Archive.Binlogs;

public sealed class BinlogEventTimesTests : IDisposable
{
    private static readonly DateTimeOffset Modified = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("binlog-times-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_first_and_last_event_headers_give_the_times()
    {
        var path = Write(
            Magic,
            Event(1_800_000_000, 15, 40),
            Event(1_800_000_005, 2, 60),
            Event(1_800_000_009, 4, 44)
        );

        var (first, last) = BinlogEventTimes.Read(path);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), first);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_009), last);
    }

    [Fact]
    public void A_last_event_cut_short_is_not_read_past()
    {
        var cut = Event(1_800_000_099, 2, 200)[..50];
        var path = Write(Magic, Event(1_800_000_000, 15, 40), Event(1_800_000_005, 2, 60), cut);

        Assert.Equal(
            DateTimeOffset.FromUnixTimeSeconds(1_800_000_005),
            BinlogEventTimes.Read(path).Last
        );
    }

    [Fact]
    public void An_encrypted_file_keeps_its_first_time_and_ends_at_its_modification_time()
    {
        var path = Write(
            Magic,
            Event(1_800_000_000, 15, 40),
            Event(1_800_000_001, 164, 40),
            Event(1_800_000_007, 2, 60)
        );

        var (first, last) = BinlogEventTimes.Read(path);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), first);
        Assert.Equal(Modified, last);
    }

    [Theory]
    [InlineData(new byte[] { 0xfe, (byte)'b', (byte)'i', (byte)'x' })]
    [InlineData(new byte[] { 0xfe, (byte)'b' })]
    public void A_file_that_is_no_binlog_falls_back_to_its_modification_time(byte[] start)
    {
        var path = Write(start, start.Length > 2 ? Event(1_800_000_000, 15, 40) : []);

        Assert.Equal((Modified, Modified), BinlogEventTimes.Read(path));
    }

    private static byte[] Magic => [0xfe, (byte)'b', (byte)'i', (byte)'n'];

    private static byte[] Event(uint timestamp, byte type, int size)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, timestamp);
        bytes[4] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(5), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(9), (uint)size);
        return bytes;
    }

    private string Write(params byte[][] parts)
    {
        var path = Path.Combine(_folder, "mysql-bin.000001");
        File.WriteAllBytes(path, parts.SelectMany(p => p).ToArray());
        File.SetLastWriteTimeUtc(path, Modified.UtcDateTime);
        return path;
    }
}
