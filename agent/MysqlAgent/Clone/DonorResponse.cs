using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>An accepted <c>GET /backup</c>: the framed body to read, and the tool family the donor named.</summary>
public sealed class DonorResponse : IDisposable
{
    private readonly HttpResponseMessage _response;

    internal DonorResponse(
        HttpResponseMessage response,
        Stream body,
        Endpoint donor,
        string? backupTool
    )
    {
        _response = response;
        Body = body;
        Donor = donor;
        BackupTool = backupTool;
    }

    public Stream Body { get; }

    public Endpoint Donor { get; }

    /// <summary>The donor's <c>X-Backup-Tool</c> header (mariabackup, xtrabackup), when it sent one.</summary>
    public string? BackupTool { get; }

    public void Dispose()
    {
        Body.Dispose();
        _response.Dispose();
    }
}
