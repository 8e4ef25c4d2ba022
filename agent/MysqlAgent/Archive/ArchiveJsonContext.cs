using System.Text.Json.Serialization;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Archive.Verification;

namespace MysqlAgent.Archive;

[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(BinlogManifest))]
[JsonSerializable(typeof(BackupVerification))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
