namespace MysqlLocal.Services;

/// <summary>A ready pod that mysql-read may send a connection to: its name and its mysqld's port.</summary>
public sealed record ReadEndpoint(string Pod, int Port);
