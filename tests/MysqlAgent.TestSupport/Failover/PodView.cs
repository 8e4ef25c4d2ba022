using System.Text.Json;

namespace MysqlAgent.TestSupport.Failover;

/// <summary>One pod of <c>mysql-local status --json</c>.</summary>
public sealed record PodView(JsonElement Json)
{
    public string Name => Json.GetProperty("name").GetString()!;
    public int Ordinal => Json.GetProperty("ordinal").GetInt32();
    public string Phase => Json.GetProperty("phase").GetString()!;
    public bool Ready => Json.GetProperty("ready").GetBoolean();
    public string? Role => Json.TryGetProperty("role", out var r) ? r.GetString() : null;
    public int MysqlPort => Json.GetProperty("ports").GetProperty("mysql").GetInt32();
    public int HttpPort => Json.GetProperty("ports").GetProperty("http").GetInt32();

    public JsonElement Container(string name) =>
        Json.GetProperty("containers")
            .EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name);

    public int? Pid(string container) =>
        Container(container).TryGetProperty("pid", out var pid) ? pid.GetInt32() : null;

    public int Restarts(string container) =>
        Container(container).GetProperty("restarts").GetInt32();
}
