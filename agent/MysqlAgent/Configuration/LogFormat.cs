namespace MysqlAgent.Configuration;

public enum LogFormat
{
    Text,
    Json,
}
