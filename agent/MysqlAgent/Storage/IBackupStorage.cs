namespace MysqlAgent.Storage;

/// <summary>
/// Where backups are kept: a folder or an S3-compatible bucket. Keys are '/'-separated relative
/// names (<c>backups/20261207T020000Z-mysql-0/manifest.json</c>). An object is visible only once it
/// is whole: a put that fails or is cancelled leaves nothing behind. There is no rename (object
/// stores have none; a copy would be a second upload): writers choose final names up front.
/// </summary>
public interface IBackupStorage
{
    /// <summary>Where this storage points, for logs and messages (no credentials).</summary>
    string Location { get; }

    /// <summary>
    /// Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>, replacing
    /// any object there. <paramref name="expectedBytes"/> sizes the upload's parts; it is a hint.
    /// </summary>
    Task PutAsync(
        string key,
        Stream content,
        long? expectedBytes,
        CancellationToken cancellationToken
    );

    /// <summary>Opens an object for reading; throws <see cref="StoredObjectNotFoundException"/> when it does not exist.</summary>
    Task<Stream> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in ordinal key order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes an object; deleting a missing one is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
