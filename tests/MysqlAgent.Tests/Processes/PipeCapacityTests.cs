using CliWrap;
using MysqlAgent.Processes;

namespace MysqlAgent.Tests.Processes;

public sealed class PipeCapacityTests
{
    [Fact]
    public async Task The_pipes_CliWrap_gives_a_child_grow_to_one_mebibyte_and_still_carry_every_byte()
    {
        var payload = Enumerable
            .Range(0, 3 * PipeCapacity.Bytes)
            .Select(i => (byte)(i * 7))
            .ToArray();
        int? stdinSize = null;
        int? stdoutSize = null;
        using var received = new MemoryStream();

        await Cli.Wrap("cat")
            .WithStandardInputPipe(
                PipeSource.Create(
                    async (stdin, ct) =>
                    {
                        stdinSize = PipeCapacity.TryGrow(stdin);
                        await stdin.WriteAsync(payload, ct);
                    }
                )
            )
            .WithStandardOutputPipe(
                PipeTarget.Create(
                    async (stdout, ct) =>
                    {
                        stdoutSize = PipeCapacity.TryGrow(stdout);
                        await stdout.CopyToAsync(received, ct);
                    }
                )
            )
            .ExecuteAsync();

        Assert.Equal(PipeCapacity.Bytes, stdinSize);
        Assert.Equal(PipeCapacity.Bytes, stdoutSize);
        Assert.Equal(payload, received.ToArray());
    }

    [Fact]
    public void A_stream_that_is_not_a_pipe_is_left_alone()
    {
        using var memory = new MemoryStream();
        Assert.Null(PipeCapacity.TryGrow(memory));
    }
}
