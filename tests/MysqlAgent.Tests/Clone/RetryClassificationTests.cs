using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using Polly.Timeout;

namespace MysqlAgent.Tests.Clone;

public sealed class RetryClassificationTests
{
    private static readonly Endpoint Donor = new("mysql-0.mysql", 3307);

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer)
        : HttpMessageHandler
    {
        public HttpRequestMessage? Last { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        )
        {
            Last = request;
            return Task.FromResult(answer(request));
        }
    }

    private static DonorClient Client(HttpMessageHandler handler) =>
        new(
            new HttpClient(handler),
            ConnectToMap.Empty,
            new Secret("s3cret", "test"),
            TimeProvider.System
        );

    private static async Task<Exception> FailureFor(
        HttpStatusCode code,
        Action<HttpResponseMessage>? decorate = null
    )
    {
        var handler = new StubHandler(_ =>
        {
            var response = new HttpResponseMessage(code);
            decorate?.Invoke(response);
            return response;
        });
        return await Assert.ThrowsAnyAsync<Exception>(() =>
            Client(handler).OpenBackupAsync(Donor, CancellationToken.None)
        );
    }

    [Fact]
    public async Task A_wrong_token_is_permanent_and_says_to_check_the_Secret()
    {
        var e = await FailureFor(HttpStatusCode.Unauthorized);

        Assert.IsType<BackupTokenRejectedException>(e);
        Assert.False(CloneRetryPipeline.IsRetryable(e));
        Assert.Contains(
            "the backup token does not match the donor's: check the Secret",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task A_busy_donor_is_transient_and_carries_its_Retry_After()
    {
        var e = await FailureFor(
            HttpStatusCode.TooManyRequests,
            r => r.Headers.RetryAfter = new(TimeSpan.FromSeconds(7))
        );

        var busy = Assert.IsType<DonorBusyException>(e);
        Assert.True(CloneRetryPipeline.IsRetryable(e));
        Assert.Equal(TimeSpan.FromSeconds(7), busy.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task A_server_error_is_transient(HttpStatusCode code)
    {
        var e = await FailureFor(code);

        Assert.IsType<DonorUnavailableException>(e);
        Assert.True(CloneRetryPipeline.IsRetryable(e));
    }

    [Fact]
    public async Task A_port_that_is_not_a_backup_port_is_permanent()
    {
        var e = await FailureFor(HttpStatusCode.NotFound);

        Assert.IsType<DonorProtocolException>(e);
        Assert.False(CloneRetryPipeline.IsRetryable(e));
    }

    [Fact]
    public async Task The_request_carries_the_token_as_a_bearer_and_goes_to_the_mapped_address()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized));
        var problems = new List<string>();
        var map = ConnectToMap.Parse(["mysql-0.mysql:3307:127.0.0.1:13307"], problems);
        var client = new DonorClient(
            new HttpClient(handler),
            map,
            new Secret("s3cret", "test"),
            TimeProvider.System
        );

        await Assert.ThrowsAsync<BackupTokenRejectedException>(() =>
            client.OpenBackupAsync(Donor, CancellationToken.None)
        );

        Assert.Equal("Bearer s3cret", handler.Last!.Headers.Authorization!.ToString());
        Assert.Equal(new Uri("http://127.0.0.1:13307/backup"), handler.Last.RequestUri);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = DonorClient.CreateHttpClient();
        var client = new DonorClient(
            http,
            ConnectToMap.Empty,
            new Secret("t", "test"),
            TimeProvider.System
        );

        var e = await Assert.ThrowsAsync<DonorUnavailableException>(() =>
            client.OpenBackupAsync(new Endpoint("127.0.0.1", port), CancellationToken.None)
        );

        Assert.True(CloneRetryPipeline.IsRetryable(e));
        Assert.Contains("refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unresolvable_name_is_transient()
    {
        using var http = DonorClient.CreateHttpClient();
        var client = new DonorClient(
            http,
            ConnectToMap.Empty,
            new Secret("t", "test"),
            TimeProvider.System
        );

        var e = await Assert.ThrowsAsync<DonorUnavailableException>(() =>
            client.OpenBackupAsync(
                new Endpoint("mysql-9.not-yet.invalid", 3307),
                CancellationToken.None
            )
        );

        Assert.True(CloneRetryPipeline.IsRetryable(e));
    }

    [Fact]
    public async Task A_cut_stream_is_transient()
    {
        using var framed = new MemoryStream();
        var writer = new BackupStreamWriter(framed);
        await writer.WriteAsync(new byte[1000], CancellationToken.None);
        await writer.CompleteAsync(0, null, CancellationToken.None);

        using var cut = new MemoryStream(framed.ToArray()[..^3]);
        var e = await Assert.ThrowsAsync<BackupStreamException>(() =>
            BackupStreamReader.CopyPayloadAsync(cut, Stream.Null, CancellationToken.None)
        );

        Assert.True(CloneRetryPipeline.IsRetryable(e));
    }

    [Fact]
    public void Bugs_and_the_deadline_are_not_retried()
    {
        Assert.False(CloneRetryPipeline.IsRetryable(new InvalidOperationException()));
        Assert.False(
            CloneRetryPipeline.IsRetryable(
                new CloneDeadlineExceededException(TimeSpan.FromSeconds(1), 1, null, null)
            )
        );
    }

    [Fact]
    public async Task A_busy_donor_is_asked_again_after_its_Retry_After_and_a_wrong_token_stops_at_once()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var attempts = 0;
        var pipeline = CloneRetryPipeline.Build(
            CloneRetryPolicy.Default,
            TimeSpan.FromMinutes(10),
            time,
            r =>
            {
                delays.Add(r.NextDelay);
                return ValueTask.CompletedTask;
            }
        );

        var run = pipeline
            .ExecuteAsync(
                _ =>
                {
                    attempts++;
                    return attempts == 1
                        ? throw new DonorBusyException(Donor, TimeSpan.FromSeconds(42))
                        : throw new BackupTokenRejectedException(Donor);
                },
                CancellationToken.None
            )
            .AsTask();
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        await Assert.ThrowsAsync<BackupTokenRejectedException>(() => run);
        Assert.Equal(2, attempts);
        Assert.Equal([TimeSpan.FromSeconds(42)], delays);
    }

    [Fact]
    public async Task Unreachable_donors_back_off_exponentially_until_the_deadline()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var policy = new CloneRetryPolicy
        {
            InitialDelay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(30),
        };
        var pipeline = CloneRetryPipeline.Build(
            policy,
            TimeSpan.FromSeconds(120),
            time,
            r =>
            {
                delays.Add(r.NextDelay);
                return ValueTask.CompletedTask;
            }
        );

        var run = pipeline
            .ExecuteAsync(
                _ => throw new DonorUnavailableException("refused", Donor),
                CancellationToken.None
            )
            .AsTask();
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Yield();
        }

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => run);
        Assert.True(delays.Count is > 4 and < 40, $"{delays.Count} retries");
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, policy.MaxDelay));
        // Jittered delays are random one by one (a later one can be the shorter), so the growth is
        // judged on averages: the last half of the retries waits far longer than the first three.
        var early = delays.Take(3).Average(d => d.TotalSeconds);
        var late = delays.Skip(delays.Count / 2).Average(d => d.TotalSeconds);
        Assert.True(
            late > 2 * early,
            $"later delays grow: first three {early:0.00} s, last half {late:0.00} s"
        );
    }
}
