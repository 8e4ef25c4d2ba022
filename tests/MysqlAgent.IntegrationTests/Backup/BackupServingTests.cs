using System.IO.Hashing;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using CliWrap;
using Microsoft.Extensions.Logging;
using MysqlAgent.Backup;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Configuration;
using MysqlAgent.Identity;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Backup;

/// <summary><c>GET /backup</c> and the legacy port, against a real mariadbd, mariabackup and mbstream.</summary>
[Trait("Category", "Slow")]
[SupportedOSPlatform("linux")]
public sealed class BackupServingTests : IClassFixture<BackupDonorFixture>, IDisposable
{
    private const int Generous = 180_000;
    private const string Token = "test-backup-token-0123456789";
    private readonly BackupDonorFixture _donor;
    private readonly string _scratch = Directory
        .CreateTempSubdirectory("backup-serving-test-")
        .FullName;

    public BackupServingTests(BackupDonorFixture donor) => _donor = donor;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact(Timeout = Generous)]
    public async Task A_served_backup_extracts_and_prepares_and_its_trailer_matches_what_arrived()
    {
        await using var agent = await StartAgentAsync();

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
        Assert.Equal(
            1,
            await agent.MetricAsync("mysql_agent_backup_streams_total", ("result", "success"))
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
        await using var agent = await StartAgentAsync();

        using var response = await agent.RequestBackupAsync(authorization);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer <token>", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, body, StringComparison.Ordinal);
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
        await using var agent = await StartAgentAsync();
        using var first = await agent.RequestBackupAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstTool = await ToolProcesses.WaitForOneAsync(_donor.Server.Port);

        using var second = await agent.RequestBackupAsync();
        var body = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), second.Headers.RetryAfter?.Delta);
        Assert.Contains("busy", body, StringComparison.Ordinal);
        Assert.Contains("--max-concurrent-backups", body, StringComparison.Ordinal);
        Assert.Equal(1, agent.Rejections("busy"));
        Assert.Equal([firstTool], ToolProcesses.ForServerPort(_donor.Server.Port));

        first.Dispose();
        await Eventually.UntilAsync(
            () => agent.Streams("cancelled") == 1,
            "the first stream is counted as cancelled"
        );
        using var third = await agent.RequestBackupAsync();
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact(Timeout = Generous)]
    public async Task When_the_receiver_disconnects_mid_stream_the_tool_is_killed()
    {
        await using var agent = await StartAgentAsync();
        var response = await agent.RequestBackupAsync();
        var body = await response.Content.ReadAsStreamAsync();
        await body.ReadExactlyAsync(new byte[1 << 20]);
        var tool = await ToolProcesses.WaitForOneAsync(_donor.Server.Port);
        var privateFolder = Path.GetDirectoryName(DefaultsFileOf(tool))!;
        // Stalled on the unread stream (8 MB and more, 1 MiB read): alive until the receiver goes.
        Assert.True(ToolProcesses.IsAlive(tool), "the tool should be stalled, not done");

        response.Dispose();
        await Eventually.UntilAsync(
            () => !Directory.Exists($"/proc/{tool}"),
            $"the backup tool (pid {tool}) is gone after its receiver disconnected",
            TimeSpan.FromSeconds(10)
        );
        await Eventually.UntilAsync(
            () => agent.Streams("cancelled") == 1,
            "the stream is counted as cancelled"
        );
        Assert.Equal(0, agent.Streams("success") + agent.Streams("failed"));
        Assert.Equal(0, agent.Metrics.BackupsInProgress.Value);
        Assert.False(Directory.Exists(privateFolder), "the credentials folder should be deleted");
    }

    [Fact(Timeout = Generous)]
    public async Task A_stopping_agent_kills_its_running_backup_instead_of_waiting_for_it()
    {
        var agent = await StartAgentAsync();
        using var response = await agent.RequestBackupAsync();
        var tool = await ToolProcesses.WaitForOneAsync(_donor.Server.Port);

        // The stream is never read, so an agent that waited for the tool would wait for the host's
        // shutdown timeout (30 s) and leave the tool behind.
        await agent.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(25));

        Assert.False(Directory.Exists($"/proc/{tool}"), $"pid {tool} outlived the agent");
        Assert.Equal(1, agent.Streams("cancelled"));
    }

    [Fact(Timeout = Generous)]
    public async Task No_password_appears_on_the_running_tools_command_line_or_environment()
    {
        await using var agent = await StartAgentAsync();
        using var response = await agent.RequestBackupAsync();
        var tool = await ToolProcesses.WaitForOneAsync(_donor.Server.Port);

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
        await using var agent = await StartAgentAsync(o =>
            o with
            {
                BackupPassword = new Secret("wrong", "test"),
            }
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
        await using var agent = await StartAgentAsync(o => o with { BackupToolPath = script });

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
        await using var agent = await StartAgentAsync(o =>
            o with
            {
                BackupToolPath = Path.Combine(_scratch, "no-such-tool"),
            }
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
        await using var agent = await StartAgentAsync(o =>
            o with
            {
                LegacyStreamPort = FreePorts.Next(),
            }
        );

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, agent.Options.LegacyStreamPort);
        var target = await ExtractAsync(client.GetStream());
        await PrepareAsync(target);

        Assert.True(File.Exists(Path.Combine(target, "shop", "items.ibd")));
        await Eventually.UntilAsync(
            () => agent.Streams("success") == 1,
            "the legacy stream is counted as a success"
        );
    }

    [Fact(Timeout = Generous)]
    public async Task The_legacy_port_closes_at_once_while_the_limit_is_reached()
    {
        await using var agent = await StartAgentAsync(o =>
            o with
            {
                LegacyStreamPort = FreePorts.Next(),
            }
        );
        using var running = await agent.RequestBackupAsync();
        Assert.Equal(HttpStatusCode.OK, running.StatusCode);

        var refusal = await RefusalAsync(agent.Options.LegacyStreamPort);

        Assert.NotNull(refusal);
        await Eventually.UntilAsync(
            () => agent.Rejections("busy") == 1,
            "the legacy port's refusal is counted as busy"
        );
    }

    /// <summary>
    /// How the port turned a connection away, or null if it sent data. The agent resets at once, and
    /// the reset can reach the client before its connect completes (connection refused, reset, broken
    /// pipe), while it reads (reset), or as an end of stream: each is a refusal.
    /// </summary>
    private static async Task<string?> RefusalAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
        }
        catch (SocketException e)
        {
            return $"at connect: {e.SocketErrorCode}";
        }

        try
        {
            var read = await client
                .GetStream()
                .ReadAsync(new byte[1024])
                .AsTask()
                .WaitAsync(TimeSpan.FromSeconds(30));
            return read == 0 ? "at read: end of stream" : null;
        }
        catch (IOException e)
        {
            return $"at read: {e.Message}";
        }
        catch (SocketException e)
        {
            return $"at read: {e.SocketErrorCode}";
        }
    }

    /// <summary>An agent serving the fixture's server, with a limit of one backup at once.</summary>
    private Task<InProcessAgent> StartAgentAsync(Func<AgentOptions, AgentOptions>? configure = null)
    {
        var server = _donor.Server;
        var options = new AgentOptions
        {
            Pod = new PodIdentity("mysql-0", "mysql", 0),
            Service = "mysql",
            ServerId = (uint)server.ServerId,
            DataDir = server.DataDir,
            LocalMysql = new Endpoint(MariaDbServer.Host, server.Port),
            AdminUser = "root",
            AdminPassword = new Secret(server.RootPassword, "test"),
            ReplicationUser = "repl",
            BackupUser = BackupDonorFixture.BackupUser,
            BackupPassword = new Secret(BackupDonorFixture.BackupPassword, "test"),
            BackupToken = new Secret(Token, "test"),
            BackupPort = FreePorts.Next(),
            MaxConcurrentBackups = 1,
            BackupTool = BackupToolKind.Auto,
            LegacyStreamPort = 0,
            CloneDeadline = TimeSpan.FromMinutes(10),
            Primary = new Endpoint(MariaDbServer.Host, server.Port),
            ConnectRetrySeconds = 10,
            ReplicationMode = ReplicationMode.Auto,
            MaxLag = TimeSpan.FromSeconds(30),
            HttpPort = FreePorts.Next(),
            BindAddress = "127.0.0.1",
            LogFormat = LogFormat.Text,
            LogLevel = LogLevel.Warning,
            ConnectTo = ConnectToMap.Empty,
            // Uncompressed: these tests hold a stream open unread and need the tool stalled on it.
            // Compressed, this small donor's whole backup fits in the socket buffers and the tool
            // finishes (counted as a success) before the test lets go (a 429 test failed so).
            StreamCompression = StreamCompression.None,
        };
        return InProcessAgent.StartAsync(configure?.Invoke(options) ?? options);
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
}
