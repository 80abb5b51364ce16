using Cli;

// One CLI for every verb: the verbs are listed in CommandLine.cs, each lives in its own file under Commands/.
return await CommandLine.RunAsync(args, Console.Out, Console.Error);
