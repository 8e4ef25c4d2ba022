using System.Text.Json.Serialization;
using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Archive;

[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(BinlogManifest))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
