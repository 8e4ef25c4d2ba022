namespace MysqlAgent.Identity;

// Temporary minimal version; replaced by the init branch.
public sealed class ServerIdOutOfRangeException(string message) : Exception(message);
