namespace MysqlAgent.TestSupport; internal static class Placeholder { }
