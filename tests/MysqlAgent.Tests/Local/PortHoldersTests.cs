using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using MysqlLocal.Kubelet;
using MysqlLocal.Ports;
using MysqlLocal.State;

namespace MysqlAgent.Tests.Local;

[SupportedOSPlatform("linux")]
public sealed class PortHoldersTests : IDisposable
{
    private readonly TcpListener _held = new(IPAddress.Loopback, 0);
    private readonly string _folder = Directory.CreateTempSubdirectory("i18-ports-").FullName;

    public PortHoldersTests() => _held.Start();

    private int HeldPort => ((IPEndPoint)_held.LocalEndpoint).Port;

    [Fact]
    public void The_holder_of_a_listening_port_is_this_process_with_its_command_line()
    {
        var holders = PortHolders.Find(HeldPort);

        var holder = Assert.Single(holders);
        Assert.Equal(Environment.ProcessId, holder.Pid);
        Assert.Equal(Signals.CommandLine(Environment.ProcessId), holder.CommandLine);
        Assert.False(string.IsNullOrEmpty(holder.CommandLine));
    }

    [Fact]
    public void A_taken_port_is_refused_in_one_line_naming_it_its_holder_and_base_port()
    {
        var refusal = PortCheck.Refusal(new SetPaths(_folder), "mysql-0 http", HeldPort);

        Assert.NotNull(refusal);
        Assert.DoesNotContain('\n', refusal);
        Assert.StartsWith(
            string.Create(
                CultureInfo.InvariantCulture,
                $"port {HeldPort} (mysql-0 http) is taken by pid {Environment.ProcessId} ("
            ),
            refusal,
            StringComparison.Ordinal
        );
        Assert.Contains("--base-port", refusal, StringComparison.Ordinal);
        Assert.Contains("--base-port auto", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_free_port_is_not_refused()
    {
        _held.Stop(); // Its port is now free; nobody else binds 127.0.0.1 to a port just released.

        Assert.True(PortCheck.CanBind(HeldPort));
        Assert.Empty(PortHolders.Find(HeldPort));
    }

    [Theory]
    [InlineData(
        "   0: 0100007F:5AFC 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 48151 1 0000000000000000 100 0 0 10 0",
        23292,
        "48151"
    )]
    [InlineData(
        "   3: 00000000000000000000000000000000:5AFD 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 62 1 0000000000000000 100 0 0 10 0",
        23293,
        "62"
    )]
    public void A_listening_line_of_proc_net_tcp_gives_its_port_and_inode(
        string line,
        int port,
        string inode
    )
    {
        Assert.Equal((port, inode), PortHolders.ParseListening(line));
    }

    [Fact]
    public void A_connection_line_of_proc_net_tcp_is_not_a_listener()
    {
        Assert.Null(
            PortHolders.ParseListening(
                "   1: 0100007F:5AFC 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 48152 1 0000000000000000 20 4 30 10 -1"
            )
        );
    }

    [Fact]
    public void The_folder_of_another_set_is_read_from_its_pods_command_line()
    {
        File.WriteAllText(Path.Combine(_folder, "set.json"), "{}");

        Assert.Equal(
            _folder,
            PortCheck.SetFolderIn(
                $"/repo/artifacts/mysql-agent/mysql-agent serve --service=mysql --data-dir={_folder}/pods/mysql-2/data --set-id=abc"
            )
        );
        Assert.Equal(
            _folder,
            PortCheck.SetFolderIn(
                $"/usr/sbin/mariadbd --defaults-file={_folder}/pods/mysql-0/my.cnf"
            )
        );
        Assert.Null(PortCheck.SetFolderIn("/usr/sbin/mariadbd --defaults-file=/etc/mysql/my.cnf"));
        Assert.Null(PortCheck.SetFolderIn("/opt/x --data-dir=/nowhere/pods/mysql-0/data"));
    }

    public void Dispose()
    {
        _held.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
