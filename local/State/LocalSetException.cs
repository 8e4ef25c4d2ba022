namespace MysqlLocal.State;

/// <summary>An expected failure: its message is one line naming the input and the fix, printed without a stack trace.</summary>
public sealed class LocalSetException(string message) : Exception(message);
