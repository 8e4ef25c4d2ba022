namespace MysqlAgent.Hosting;

/// <summary>The local port an endpoint is served on; see <see cref="LocalPortRouting"/>.</summary>
public sealed record LocalPortMetadata(int Port);
