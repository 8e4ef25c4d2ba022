namespace MysqlLocal.Failover;

/// <summary>One term of the Lease document's history: who held it (and promoted) in it.</summary>
public sealed record LeaseFileTerm(long Term, string Holder);
