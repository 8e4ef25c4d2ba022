namespace MysqlAgent.Identity;

public sealed record PodIdentity(string PodName, string StatefulSetName, int Ordinal);
