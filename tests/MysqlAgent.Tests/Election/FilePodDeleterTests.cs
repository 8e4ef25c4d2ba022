using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Common;
using MysqlAgent.Election;

namespace MysqlAgent.Tests.Election;

public sealed class FilePodDeleterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pod-deletions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_local_set_request_is_a_file_named_after_the_pod_in_the_shared_Lease_folder()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 4, 0, 0, TimeSpan.Zero));
        var deleter = new FilePodDeleter(_folder, "mysql-0", time);

        Assert.Null(await deleter.DeleteOwnPodAsync(CancellationToken.None));

        var request = Assert.Single(Directory.GetFiles(PodDeletionRequests.Folder(_folder)));
        Assert.Equal(PodDeletionRequests.RequestPath(_folder, "mysql-0"), request);
        Assert.Equal(
            "requested by mysql-0's agent at 2026-12-01T04:00:00.0000000+00:00\n",
            File.ReadAllText(request)
        );
    }
}
