namespace MysqlAgent.Backup.Protocol;

/// <summary>
/// The header naming the replica set an agent belongs to (<c>--set-id</c>), on every answer of
/// both ports: a clone told 401 by a donor of another set, or a local kubelet whose probe reached
/// another set's agent on a port it took for its own, can say so instead of blaming the token.
/// </summary>
public static class SetIdHeader
{
    public const string Name = "X-Mysql-Agent-Set-Id";
}
