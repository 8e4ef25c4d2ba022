namespace MysqlAgent.Storage;

/// <summary>One object in backup storage: its key (relative to the storage's root or prefix) and size.</summary>
public sealed record StoredObject(string Key, long Bytes);
