namespace MysqlAgent.Storage;

/// <summary>How to reach an S3-compatible bucket (<c>s3://bucket/prefix</c>).</summary>
/// <param name="Endpoint">Service URL of an S3-compatible server (MinIO, Ceph, moto); null = AWS.</param>
/// <param name="PathStyle">Address the bucket as <c>endpoint/bucket</c>, not <c>bucket.endpoint</c> (most S3-compatible servers want this).</param>
/// <param name="CaFile">PEM CA that signs the endpoint's certificate, instead of the system's trust store.</param>
/// <param name="AccessKeyIdFile">File holding the access key id; null = the standard AWS environment variables and profile chain.</param>
/// <param name="ListPageSize">Keys per listing request (S3's maximum is 1000).</param>
/// <param name="MinPartBytes">Smallest multipart part; S3 requires 5 MiB.</param>
public sealed record S3StorageSettings(
    string Bucket,
    string Prefix,
    string? Endpoint = null,
    string Region = "us-east-1",
    bool PathStyle = false,
    string? CaFile = null,
    string? AccessKeyIdFile = null,
    string? SecretAccessKeyFile = null,
    int ListPageSize = 1000,
    long MinPartBytes = PartSizing.MinPartBytes
);
