using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using MysqlAgent.TestSupport;
using MysqlLocal.Status;

namespace MysqlAgent.Tests.Local;

/// <summary>The kubelet's probe and up's read-back check take a pod's answer only from that pod of this set.</summary>
[SupportedOSPlatform("linux")]
public sealed class AgentIdentityTests
{
    [Theory]
    [InlineData("mysql-0", "abc123", null)]
    [InlineData(
        "mysql-0",
        "other9",
        "is mysql-0 of another set (other9), not mysql-0 of set abc123"
    )]
    [InlineData("mysql-0", null, "names no set, so it is not mysql-0 of set abc123")]
    [InlineData("mysql-1", "abc123", "reports pod mysql-1, not mysql-0")]
    [InlineData(null, "abc123", "reports pod (none), not mysql-0")]
    public void An_answer_counts_only_from_the_expected_pod_of_the_set(
        string? reportedPod,
        string? reportedSet,
        string? why
    )
    {
        var mismatch = AgentIdentity.Mismatch(23308, "mysql-0", "abc123", reportedPod, reportedSet);

        if (why is null)
        {
            Assert.Null(mismatch);
        }
        else
        {
            Assert.NotNull(mismatch);
            Assert.Contains("127.0.0.1:23308", mismatch, StringComparison.Ordinal);
            Assert.Contains(why, mismatch, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_set_without_an_id_checks_the_pod_name_alone()
    {
        Assert.Null(AgentIdentity.Mismatch(23308, "mysql-0", "", "mysql-0", "whatever"));
        Assert.NotNull(AgentIdentity.Mismatch(23308, "mysql-0", "", "mysql-2", null));
    }

    [Theory]
    [InlineData("abc123", true)]
    [InlineData("other9", false)]
    public async Task The_status_of_a_real_listener_is_checked_by_its_header_and_pod_name(
        string answeredSet,
        bool ours
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
            Assert.Equal("/status", context.Request.Url!.AbsolutePath);
            context.Response.Headers[AgentIdentity.SetIdHeader] = answeredSet;
            context.Response.ContentType = "application/json";
            var body = Encoding.UTF8.GetBytes(
                """{"podName":"mysql-0","role":"primary","ready":true}"""
            );
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        using var http = new HttpClient();

        var mismatch = await AgentIdentity.CheckAsync(
            http,
            port,
            "mysql-0",
            "abc123",
            CancellationToken.None
        );
        await serve;

        if (ours)
        {
            Assert.Null(mismatch);
        }
        else
        {
            Assert.Contains("another set (other9)", mismatch, StringComparison.Ordinal);
        }
    }
}
