using MysqlInit;

return InitCommand.Run(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error);
