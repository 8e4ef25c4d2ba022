using System.Net.Sockets;
using MysqlAgent.Errors;
using MySqlConnector;

namespace MysqlAgent.Replication.Setup;

/// <summary>Which failures are worth retrying: a server not up yet or a dropped connection are; a wrong password, a syntax error or a bad info file are not.</summary>
public static class SetupErrors
{
    public static bool IsTransient(Exception exception) =>
        exception switch
        {
            AgentException agent => agent.IsTransient,
            MySqlException mysql => mysql.IsTransient
                || mysql.ErrorCode
                    is MySqlErrorCode.UnableToConnectToHost
                        or MySqlErrorCode.ServerShutdown
                        or MySqlErrorCode.TooManyUserConnections
                        or MySqlErrorCode.ConnectionCountError
                        or MySqlErrorCode.LockWaitTimeout
                        or MySqlErrorCode.LockDeadlock
                        or MySqlErrorCode.QueryInterrupted
                        or MySqlErrorCode.CommandTimeoutExpired,
            SocketException or IOException or TimeoutException => true,
            _ => false,
        };

    /// <summary>One line for logs and readiness: the server's error number and text, no stack.</summary>
    public static string Describe(Exception exception) =>
        exception is MySqlException mysql
            ? $"MySQL error {(int)mysql.ErrorCode} ({mysql.ErrorCode}): {mysql.Message}"
            : exception.Message;
}
