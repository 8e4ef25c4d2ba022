using System.Diagnostics;
using System.IO.Hashing;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using CliWrap;
using MysqlAgent.Backup;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Backup;

/// <summary><c>GET /backup</c> and the legacy port, against a real mariadbd, mariabackup and mbstream.</summary>
[SupportedOSPlatform("linux")]
public sealed class BackupServingTests : IClassFixture<BackupDonorFixture>, IDisposable
{
    private const int Generous = 180_000;
    private readonly BackupDonorFixture _donor;
    private readonly string _scratch = Directory
        .CreateTempSubdirectory("backup-serving-test-")
        .FullName;

    public BackupServingTests(BackupDonorFixture donor) => _donor = donor;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact(Timeout = Generous)]
    public async Task A_served_backup_extracts_and_prepares_and_its_trailer_matches_what_arrived()
    {
        await using var agent = await BackupAgent.StartAsync(_donor.Server);

        using var response = await agent.RequestBackupAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            BackupStreamFormat.ContentType,
            response.Content.Headers.ContentType?.MediaType
        );
        // The donor names its tool, so the receiver picks the matching extractor.
        Assert.Equal(
            "mariabackup",
            Assert.Single(response.Headers.GetValues(BackupStreamFormat.BackupToolHeader))
        );
        var payload = new MemoryStream();
        var trailer = await BackupStreamReader.CopyPayloadAsync(
            await response.Content.ReadAsStreamAsync(),
            payload,
            CancellationToken.None
        );

        Assert.True(trailer.IsOk);
        Assert.Equal(0, trailer.ExitCode);
        Assert.Equal(payload.Length, trailer.Bytes);
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash(payload.ToArray())), trailer.Xxh128);
        Assert.True(trailer.Bytes > 8_000_000, $"only {trailer.Bytes} bytes");

        var target = await ExtractAsync(new MemoryStream(payload.ToArray()));
        await PrepareAsync(target);
        Assert.True(File.Exists(Path.Combine(target, "shop", "items.ibd")));

        Assert.Equal(1, agent.Streams("success"));
        Assert.Equal(0, agent.Streams("failed") + agent.Streams("cancelled"));
        Assert.Equal(trailer.Bytes, agent.Metrics.BackupBytesSent.Value);
        Assert.Equal(0, agent.Metrics.BackupsInProgress.Value);
        Assert.Equal(1, agent.Metrics.BackupStreamDuration.Count);
        var exported = await agent.Client.GetStringAsync(agent.MetricsUri);
        Assert.Contains(
            "mysql_agent_backup_streams_total{result=\"success\"} 1",
            exported,
            StringComparison.Ordinal
        );
        Assert.Empty(ToolProcesses.ForServerPort(_donor.Server.Port));
    }

    [Theory(Timeout = Generous)]
    [InlineData(null, "no Authorization header")]
    [InlineData("Bearer not-the-token", "wrong backup token")]
    [InlineData("Basic dXNlcjpwYXNz", "not 'Bearer <token>'")]
    public async Task A_missing_or_wrong_token_gets_401_with_the_fix_and_starts_no_backup(
        string? authorization,
        string reason
    )
    {
        await using var agent = await BackupAgent.StartAsync(_donor.Server);

        using var response = await agent.RequestBackupAsync(authorization);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer <token>", body, StringComparison.Ordinal);
        Assert.DoesNotContain(BackupAgent.Token, body, StringComparison.Ordinal);
        Assert.Single(body.TrimEnd('\n').Split('\n'));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(1, agent.Rejections("unauthorized"));
        Assert.Equal(
            0,
            agent.Metrics.BackupStreams.WithLabels("success").Value
                + agent.Streams("failed")
                + agent.Streams("cancelled")
        );
        Assert.Equal(0, agent.Metrics.BackupStreamDuration.Count);
        Assert.Empty(ToolProcesses.ForServerPort(_donor.Server.Port));
    }

    [Fact(Timeout = Generous)]
    public async Task A_second_request_beyond_the_limit_gets_429_with_retry_after_while_the_first_runs()
    {
        await using var agent = await BackupAgent.StartAsync(_donor.Server);
        using var first = await agent.RequestBackupAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstTool = await ToolProcesses.WaitForOneAsync(
            _donor.Server.Port,
            TimeSpan.FromSeconds(30)
        );

        using var second = await agent.RequestBackupAsync();
        var body = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), second.Headers.RetryAfter?.Delta);
        Assert.Contains("busy", body, StringComparison.Ordinal);
        Assert.Contains("--max-concurrent-backups", body, StringComparison.Ordinal);
        Assert.Equal(1, agent.Rejections("busy"));
        Assert.Equal([firstTool], ToolProcesses.ForServerPort(_donor.Server.Port));

        first.Dispose();
        await WaitUntilAsync(() => agent.Streams("cancelled") == 1, TimeSpan.FromSeconds(10));
        using var third = await agent.RequestBackupAsync();
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact(Timeout = Generous)]
    public async Task When_the_receiver_disconnects_mid_stream_the_tool_is_gone_within_a_second()
    {
        await using var agent = await BackupAgent.StartAsync(_donor.Server);
        var response = await agent.RequestBackupAsync();
        var body = await response.Content.ReadAsStreamAsync();
        await body.ReadExactlyAsync(new byte[1 << 20]);
        var tool = await ToolProcesses.WaitForOneAsync(
            _donor.Server.Port,
            TimeSpan.FromSeconds(30)
        );
        var privateFolder = Path.GetDirectoryName(DefaultsFileOf(tool))!;
        await Task.Delay(200);
        Assert.True(
            ToolProcesses.IsAlive(tool),
            "the tool should be stalled on the unread stream, not done"
        );

        var stopwatch = Stopwatch.StartNew();
        response.Dispose();
        while (Directory.Exists($"/proc/{tool}") && stopwatch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        Assert.False(
            Directory.Exists($"/proc/{tool}"),
            $"pid {tool} still exists after {stopwatch.Elapsed}"
        );
        Assert.True(
            stopwatch.Elapsed < TimeSpan.FromSeconds(1),
            $"the tool took {stopwatch.Elapsed} to go"
        );
        await WaitUntilAsync(() => agent.Streams("cancelled") == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(0, agent.Streams("success") + agent.Streams("failed"));
        Assert.Equal(0, agent.Metrics.BackupsInProgress.Value);
        Assert.False(Directory.Exists(privateFolder), "the credentials folder should be deleted");
    }

    [Fact(Timeout = Generous)]
    public async Task A_stopping_agent_kills_its_running_backup_instead_of_waiting_for_it()
    {
        var agent = await BackupAgent.StartAsync(_donor.Server);
        using var response = await agent.RequestBackupAsync();
        var tool = await ToolProcesses.WaitForOneAsync(
            _donor.Server.Port,
            TimeSpan.FromSeconds(30)
        );

        var stopwatch = Stopwatch.StartNew();
        await agent.DisposeAsync();

        Assert.True(
            stopwatch.Elapsed < TimeSpan.FromSeconds(5),
            $"stopping took {stopwatch.Elapsed}"
        );
        Assert.False(Directory.Exists($"/proc/{tool}"), $"pid {tool} outlived the agent");
        Assert.Equal(1, agent.Streams("cancelled"));
    }

    [Fact(Timeout = Generous)]
    public async Task No_password_appears_on_the_running_tools_command_line_or_environment()
    {
        await using var agent = await BackupAgent.StartAsync(_donor.Server);
        using var response = await agent.RequestBackupAsync();
        var tool = await ToolProcesses.WaitForOneAsync(
            _donor.Server.Port,
            TimeSpan.FromSeconds(30)
        );

        var commandLine = ToolProcesses.CommandLine(tool);
        Assert.StartsWith("--defaults-extra-file=", commandLine[1], StringComparison.Ordinal);
        var joined = string.Join(' ', commandLine);
        Assert.DoesNotContain(BackupDonorFixture.BackupPassword, joined, StringComparison.Ordinal);
        Assert.DoesNotContain("p#a", joined, StringComparison.Ordinal);
        Assert.DoesNotContain("--password", joined, StringComparison.Ordinal);
        Assert.DoesNotContain("p#a", ToolProcesses.Environment(tool), StringComparison.Ordinal);
        Assert.DoesNotContain(_donor.Server.RootPassword, joined, StringComparison.Ordinal);
        var defaultsFile = DefaultsFileOf(tool);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(defaultsFile)
        );
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(defaultsFile)!)
        );
    }

    [Fact(Timeout = Generous)]
    public async Task A_wrong_backup_password_ends_the_body_with_a_failed_end_frame()
    {
        await using var agent = await BackupAgent.StartAsync(
            _donor.Server,
            o => o with { BackupPassword = new Secret("wrong", "test") }
        );

        using var response = await agent.RequestBackupAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = await Assert.ThrowsAsync<BackupStreamException>(async () =>
            await BackupStreamReader.CopyPayloadAsync(
                await response.Content.ReadAsStreamAsync(),
                Stream.Null,
                CancellationToken.None
            )
        );

        Assert.Contains("exit code 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("Access denied", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, agent.Streams("failed"));
    }

    [Fact(Timeout = Generous)]
    public async Task A_tool_that_fails_after_writing_bytes_ends_the_body_with_its_exit_code_and_stderr()
    {
        var script = Path.Combine(_scratch, "failing-backup-tool");
        await File.WriteAllTextAsync(
            script,
            "#!/bin/sh\nhead -c 3000000 /dev/zero\necho 'first line' >&2\necho 'simulated disk failure' >&2\nexit 3\n"
        );
        File.SetUnixFileMode(
            script,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        );
        await using var agent = await BackupAgent.StartAsync(
            _donor.Server,
            o => o with { BackupToolPath = script }
        );

        using var response = await agent.RequestBackupAsync();
        var received = new MemoryStream();
        var e = await Assert.ThrowsAsync<BackupStreamException>(async () =>
            await BackupStreamReader.CopyPayloadAsync(
                await response.Content.ReadAsStreamAsync(),
                received,
                CancellationToken.None
            )
        );

        Assert.Equal(3_000_000, received.Length);
        Assert.Contains("exit code 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("first line | simulated disk failure", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, agent.Streams("failed"));
        Assert.Equal(3_000_000, agent.Metrics.BackupBytesSent.Value);
    }

    [Fact(Timeout = Generous)]
    public async Task A_missing_tool_still_answers_200_with_a_failed_end_frame_naming_the_option()
    {
        await using var agent = await BackupAgent.StartAsync(
            _donor.Server,
            o => o with { BackupToolPath = Path.Combine(_scratch, "no-such-tool") }
        );

        using var response = await agent.RequestBackupAsync();
        var e = await Assert.ThrowsAsync<BackupStreamException>(async () =>
            await BackupStreamReader.CopyPayloadAsync(
                await response.Content.ReadAsStreamAsync(),
                Stream.Null,
                CancellationToken.None
            )
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("--backup-tool-path", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, agent.Streams("failed"));
    }

    [Fact(Timeout = Generous)]
    public async Task The_legacy_port_serves_a_raw_xbstream_that_mbstream_extracts()
    {
        await using var agent = await BackupAgent.StartAsync(
            _donor.Server,
            o => o with { LegacyStreamPort = FreePorts.Next() }
        );

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, agent.Options.LegacyStreamPort);
        var target = await ExtractAsync(client.GetStream());
        await PrepareAsync(target);

        Assert.True(File.Exists(Path.Combine(target, "shop", "items.ibd")));
        await WaitUntilAsync(() => agent.Streams("success") == 1, TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = Generous)]
    public async Task The_legacy_port_closes_at_once_while_the_limit_is_reached()
    {
        await using var agent = await BackupAgent.StartAsync(
            _donor.Server,
            o => o with { LegacyStreamPort = FreePorts.Next() }
        );
        using var running = await agent.RequestBackupAsync();
        Assert.Equal(HttpStatusCode.OK, running.StatusCode);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, agent.Options.LegacyStreamPort);
        var read = 0;
        try
        {
            read = await client
                .GetStream()
                .ReadAsync(new byte[1024])
                .AsTask()
                .WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException)
        {
            // Reset: just as good a refusal.
        }

        Assert.Equal(0, read);
        await WaitUntilAsync(() => agent.Rejections("busy") == 1, TimeSpan.FromSeconds(10));
    }

    private static string DefaultsFileOf(int pid)
    {
        const string prefix = "--defaults-extra-file=";
        var argument = ToolProcesses
            .CommandLine(pid)
            .Single(a => a.StartsWith(prefix, StringComparison.Ordinal));
        return argument[prefix.Length..];
    }

    private async Task<string> ExtractAsync(Stream xbstream)
    {
        var target = Directory
            .CreateDirectory(Path.Combine(_scratch, $"extract-{Guid.NewGuid():N}"))
            .FullName;
        var stderr = new System.Text.StringBuilder();
        var result = await Cli.Wrap("mbstream")
            .WithArguments(["-x", "-C", target])
            .WithStandardInputPipe(PipeSource.FromStream(xbstream))
            .WithStandardOutputPipe(PipeTarget.ToStream(Stream.Null))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync();
        Assert.True(result.ExitCode == 0, $"mbstream -x exited {result.ExitCode}: {stderr}");
        Assert.True(File.Exists(Path.Combine(target, "xtrabackup_checkpoints")));
        return target;
    }

    private static async Task PrepareAsync(string target)
    {
        var stderr = new System.Text.StringBuilder();
        var result = await Cli.Wrap("mariabackup")
            .WithArguments(["--prepare", $"--target-dir={target}"])
            .WithStandardOutputPipe(PipeTarget.ToStream(Stream.Null))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync();
        Assert.True(
            result.ExitCode == 0,
            $"mariabackup --prepare exited {result.ExitCode}: {stderr}"
        );
        Assert.Contains("completed OK!", stderr.ToString(), StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < timeout, $"condition not met within {timeout}");
            await Task.Delay(20);
        }
    }
}
