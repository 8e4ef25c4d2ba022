using MysqlAgent.Replication.Dialects;

namespace MysqlAgent.Tests.Replication;

public class ServerVersionInfoTests
{
    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1-log", ServerFlavor.MariaDb, "10.11.19")]
    [InlineData("5.5.5-10.11.19-MariaDB-0+deb12u1-log", ServerFlavor.MariaDb, "10.11.19")]
    [InlineData("11.4.2-MariaDB", ServerFlavor.MariaDb, "11.4.2")]
    [InlineData("11.4.2-MariaDB-ubu2404", ServerFlavor.MariaDb, "11.4.2")]
    [InlineData("8.4.3", ServerFlavor.MySql, "8.4.3")]
    [InlineData("8.0.36-28", ServerFlavor.MySql, "8.0.36")]
    [InlineData("5.7.44-log", ServerFlavor.MySql, "5.7.44")]
    [InlineData("8.0.22", ServerFlavor.MySql, "8.0.22")]
    [InlineData("9.1.0-commercial", ServerFlavor.MySql, "9.1.0")]
    public void Server_versions_parse_to_flavor_and_version(
        string raw,
        ServerFlavor flavor,
        string version
    )
    {
        var info = ServerVersionInfo.Parse(raw);

        Assert.Equal(flavor, info.Flavor);
        Assert.Equal(Version.Parse(version), info.Version);
        Assert.Equal(raw, info.Raw);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MariaDB")]
    [InlineData("8.4")]
    [InlineData("v8.4.3")]
    [InlineData("8.4.3.1")]
    public void Text_that_is_not_a_version_is_refused(string raw)
    {
        Assert.False(ServerVersionInfo.TryParse(raw, out _));
        Assert.Throws<FormatException>(() => ServerVersionInfo.Parse(raw));
    }
}
