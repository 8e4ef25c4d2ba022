using MysqlAgent.Identity;

namespace MysqlAgent.Tests.Identity;

public class PodIdentityTests
{
    [Theory]
    [InlineData("mysql-0", "mysql-0", "mysql", 0)]
    [InlineData("mysql-1", "mysql-1", "mysql", 1)]
    [InlineData("mysql-12", "mysql-12", "mysql", 12)]
    [InlineData("my-sql-3", "my-sql-3", "my-sql", 3)]
    [InlineData("mysql-2147483647", "mysql-2147483647", "mysql", 2147483647)]
    [InlineData("mysql-1.mysql.default.svc.cluster.local", "mysql-1", "mysql", 1)]
    [InlineData("db-7.db", "db-7", "db", 7)]
    [InlineData("a-0.", "a-0", "a", 0)]
    [InlineData("web2-10", "web2-10", "web2", 10)]
    public void Pod_name_splits_into_set_name_and_ordinal(
        string hostname,
        string podName,
        string setName,
        int ordinal
    )
    {
        var identity = PodIdentity.Parse(hostname);

        Assert.Equal(new PodIdentity(podName, setName, ordinal), identity);
        Assert.True(PodIdentity.TryParse(hostname, out var tried, out var error));
        Assert.Equal(identity, tried);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData(null, "empty or missing")]
    [InlineData("", "empty or missing")]
    [InlineData("   ", "empty or missing")]
    [InlineData("mysql", "does not end in -<ordinal>")]
    [InlineData("mysql-", "does not end in -<ordinal>")]
    [InlineData("mysql-a", "does not end in -<ordinal>")]
    [InlineData("mysql3", "does not end in -<ordinal>")]
    [InlineData("3", "does not end in -<ordinal>")]
    [InlineData("mysql.mysql-1", "does not end in -<ordinal>")]
    [InlineData("-3", "no StatefulSet name")]
    [InlineData("mysql-01", "leading zero")]
    [InlineData("mysql-00", "leading zero")]
    [InlineData("mysql-2147483648", "above the largest")]
    [InlineData("mysql-4294967296", "above the largest")]
    [InlineData("mysql-123456789012345678901234567890", "above the largest")]
    [InlineData(".mysql-1", "starts with a dot")]
    [InlineData("my_sql-1", "character")]
    [InlineData("mysql -1", "character")]
    public void Hostname_that_is_not_a_pod_name_is_rejected_with_a_message_naming_it_and_the_fix(
        string? hostname,
        string reason
    )
    {
        var exception = Assert.Throws<PodIdentityException>(() => PodIdentity.Parse(hostname));

        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
        Assert.Contains("HOSTNAME", exception.Message, StringComparison.Ordinal);
        Assert.Contains("mysql-0", exception.Message, StringComparison.Ordinal);
        if (!string.IsNullOrWhiteSpace(hostname))
        {
            Assert.Contains($"\"{hostname}\"", exception.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\n', exception.Message);
        Assert.Equal(hostname, exception.Hostname);
        Assert.False(PodIdentity.TryParse(hostname, out var identity, out var error));
        Assert.Null(identity);
        Assert.Equal(exception.Message, error);
    }

    [Fact]
    public void Thousands_of_ordinal_digits_give_the_clear_error_not_an_overflow()
    {
        var hostname = "mysql-" + new string('9', 5000);

        var exception = Assert.Throws<PodIdentityException>(() => PodIdentity.Parse(hostname));

        Assert.Contains("above the largest", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_in_the_hostname_are_escaped_so_the_message_stays_one_line()
    {
        var exception = Assert.Throws<PodIdentityException>(() => PodIdentity.Parse("mysql\n-1"));

        Assert.DoesNotContain('\n', exception.Message);
        Assert.Contains("mysql\\u000a-1", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql-0", true)]
    [InlineData("mysql-1", false)]
    [InlineData("mysql-10", false)]
    public void Only_ordinal_zero_is_the_primary(string hostname, bool isPrimary) =>
        Assert.Equal(isPrimary, PodIdentity.Parse(hostname).IsPrimary);

    [Theory]
    [InlineData("mysql-2", 0, "mysql", "mysql-0", "mysql-0.mysql")]
    [InlineData("mysql-0", 1, "mysql", "mysql-1", "mysql-1.mysql")]
    [InlineData("my-sql-3.my-svc.ns.svc", 12, "my-svc", "my-sql-12", "my-sql-12.my-svc")]
    public void Peers_are_named_after_the_set_and_reached_through_the_service(
        string hostname,
        int peer,
        string service,
        string podName,
        string host
    )
    {
        var identity = PodIdentity.Parse(hostname);

        Assert.Equal(podName, identity.PeerPodName(peer));
        Assert.Equal(host, identity.PeerHost(peer, service));
    }

    [Theory]
    [InlineData("mysql-2", "mysql", "mysql-0.mysql")]
    [InlineData("my-sql-0", "headless", "my-sql-0.headless")]
    public void Primary_host_is_ordinal_zero_under_the_service(
        string hostname,
        string service,
        string expected
    ) => Assert.Equal(expected, PodIdentity.Parse(hostname).PrimaryHost(service));

    [Fact]
    public void Negative_peer_ordinal_and_empty_service_are_programming_errors()
    {
        var identity = PodIdentity.Parse("mysql-1");

        Assert.Throws<ArgumentOutOfRangeException>(() => identity.PeerPodName(-1));
        Assert.Throws<ArgumentException>(() => identity.PeerHost(0, ""));
    }
}
