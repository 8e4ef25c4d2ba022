using System.Security.Cryptography.X509Certificates;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace MysqlAgent.Storage;

/// <summary>
/// Builds the S3 client from <see cref="S3StorageSettings"/>: an endpoint for S3-compatible
/// servers, path-style addressing, a private CA, and credentials from files (a mounted Secret) or,
/// when none are named, the SDK's standard chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, ...).
/// </summary>
public static class S3ClientFactory
{
    public static AmazonS3Client Create(S3StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.PathStyle,
            // S3-compatible servers differ in which of the newer checksum headers they accept; the
            // stream carries its own XXH128, so send checksums only where S3 requires them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        if (settings.CaFile is { } caFile)
        {
            config.HttpClientFactory = new PrivateCaHttpClientFactory(LoadCa(caFile));
        }

        var credentials = ReadCredentials(settings);
        return credentials is null
            ? new AmazonS3Client(config)
            : new AmazonS3Client(credentials, config);
    }

    private static BasicAWSCredentials? ReadCredentials(S3StorageSettings settings)
    {
        if (settings.AccessKeyIdFile is null && settings.SecretAccessKeyFile is null)
        {
            return null;
        }

        if (settings.AccessKeyIdFile is null || settings.SecretAccessKeyFile is null)
        {
            throw new BackupStorageException(
                "set both --s3-access-key-id-file and --s3-secret-access-key-file, or neither (then AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are used)"
            );
        }

        return new BasicAWSCredentials(
            ReadFile(settings.AccessKeyIdFile, "--s3-access-key-id-file"),
            ReadFile(settings.SecretAccessKeyFile, "--s3-secret-access-key-file")
        );
    }

    private static string ReadFile(string path, string option)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length > 0
                ? text
                : throw new BackupStorageException($"{option} {path} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupStorageException($"cannot read {option} {path} ({e.Message})", e);
        }
    }

    private static X509Certificate2 LoadCa(string path)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e)
            when (e
                    is IOException
                        or UnauthorizedAccessException
                        or System.Security.Cryptography.CryptographicException
            )
        {
            throw new BackupStorageException(
                $"cannot load --s3-ca-file {path} as a PEM or DER certificate ({e.Message})",
                e
            );
        }
    }
}
