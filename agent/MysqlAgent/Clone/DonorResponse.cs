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

    /// <summary>The compression the donor announced (<c>X-Stream-Compression</c>); <c>none</c> from older donors.</summary>
    public string Compression { get; init; } = "none";

    /// <summary>The donor's datadir size (<c>X-Backup-Datadir-Bytes</c>), for the progress estimate; null when not sent.</summary>
    public long? DataDirBytes { get; init; }

    public void Dispose()
    {
        Body.Dispose();
        _response.Dispose();
    }
}
