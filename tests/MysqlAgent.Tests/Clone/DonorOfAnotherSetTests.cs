using System.Globalization;
using System.Net;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Clone;

/// <summary>A 401 from an agent that names another set is not blamed on the token: the address reached is another set's.</summary>
public sealed class DonorOfAnotherSetTests
{
    [Theory]
    [InlineData(
        "other9",
        "the donor at 127.0.0.1:{0} belongs to another set (set id other9, this pod's is abc123)"
    )]
    [InlineData("abc123", "the backup token does not match the donor's: check the Secret")]
    [InlineData(null, "the backup token does not match the donor's: check the Secret")]
    public async Task A_401_says_whose_set_the_donor_is_when_it_names_another(
        string? donorSet,
        string expected
    )
    {
        var port = FreePorts.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add(
            string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")
        );
        listener.Start();
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = 401;
            if (donorSet is not null)
            {
                context.Response.Headers[SetIdHeader.Name] = donorSet;
            }

            context.Response.Close();
        });
        var donor = new Endpoint("mysql-0.mysql", 3307);
        var connectTo = ConnectToMap.Parse(
            [string.Create(CultureInfo.InvariantCulture, $"mysql-0.mysql:3307:127.0.0.1:{port}")],
            []
        );
        using var http = new HttpClient();
        var client = new DonorClient(
            http,
            connectTo,
            new Secret("s3cret", "test"),
            TimeProvider.System,
            "abc123"
        );

        var e = await Assert.ThrowsAsync<BackupTokenRejectedException>(() =>
            client.OpenBackupAsync(donor, CancellationToken.None)
        );
        await serve;

        Assert.False(CloneRetryPipeline.IsRetryable(e));
        Assert.Contains(
            string.Format(CultureInfo.InvariantCulture, expected, port),
            e.Message,
            StringComparison.Ordinal
        );
    }
}
