using System.Net.Sockets;
using MysqlAgent.Replication;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.InfoFiles;
using MysqlAgent.Replication.Setup;
using MySqlConnector;

namespace MysqlAgent.Tests.Replication.Setup;

public sealed class SetupErrorsTests
{
    public static TheoryData<Exception, bool> Exceptions =>
        new()
        {
            { new SocketException((int)SocketError.ConnectionRefused), true },
            { new IOException("connection reset"), true },
            { new TimeoutException("slow"), true },
            {
                new InfoFileException("/var/lib/mysql/xtrabackup_binlog_info", "file<TAB>position"),
                false
            },
            { new NoCloneInfoException("/var/lib/mysql"), false },
            { new ReplicationSetupException("unsupported server"), false },
            { new InvalidOperationException("a bug"), false },
            { new FormatException("bad version"), false },
        };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Network_hiccups_are_transient_and_bad_input_or_bugs_are_not(
        Exception exception,
        bool transient
    ) => Assert.Equal(transient, SetupErrors.IsTransient(exception));

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_does_not_listen_yet_is_a_transient_error()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var connection = new MySqlConnection(
            $"Server=127.0.0.1;Port={port};User ID=root;Connection Timeout=2;Pooling=false"
        );

        var error = await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());

        Assert.Equal(MySqlErrorCode.UnableToConnectToHost, error.ErrorCode);
        Assert.True(SetupErrors.IsTransient(error));
    }

    [Fact]
    public void A_description_is_the_message_without_a_stack()
    {
        var description = SetupErrors.Describe(new InfoFileException("/d/x", "something"));

        Assert.StartsWith("clone info file /d/x: expected something", description);
        Assert.DoesNotContain("\n", description, StringComparison.Ordinal);
    }
}
