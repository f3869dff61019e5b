return await ZeroPark.Cli.CliApp.RunAsync(args);
