using Cli;
using Cli.Commands;

// One CLI for every verb. Each verb lives in its own file under Commands/.
var verbs = new (string Path, string Summary, Func<CliArgs, Task<int>> Run)[]
{
    ("samples", "validate the Logic App and run every sample message through the custom-code functions", SamplesCommand.RunAsync),
    ("run", "run the whole Logic App locally (--once: send the samples, wait until settled, report, exit)", RunCommand.RunAsync),
    ("send", "post the sample orders to a running 'run'", SendCommand.RunAsync),
    ("token", "a local Microsoft Entra ID-shaped access token for a 'run' whose intake asks for one", TokenCommand.RunAsync),
    ("wdl eval", "evaluate Workflow Definition Language cases: --cases FILE", WdlEvalCommand.RunAsync),
    ("servicebus filter-eval", "evaluate Service Bus SQL filter cases: --cases FILE", FilterEvalCommand.RunAsync),
    ("servicebus serve", "serve a Config.json topology over AMQP 1.0 (emulator connection string) until Ctrl+C", ServiceBusServeCommand.RunAsync),
    ("runs", "run history like the portal's: list | show <runId> | resubmit <runId>", RunsCommand.RunAsync),
    ("deadletters", "operator's tool for dead letters: list | show | resubmit | purge", DeadLettersCommand.RunAsync),
    ("package", "build the zip-deploy package (workflows flattened to the app root)", PackageCommand.RunAsync),
    ("preflight", "check a package (--package ZIP) or the working tree for what Azure needs and the local stack cannot see", PreflightCommand.RunAsync),
    ("designer", "generate the app folder the VS Code designer and func open", DesignerCommand.RunAsync),
    ("powerbi", "regenerate the Power BI semantic model (TMDL) from the monitoring KQL files", PowerBiCommand.RunAsync),
    ("benchmark mapping", "per-call cost of each custom-code mapping function", BenchmarkMappingCommand.RunAsync),
    ("benchmark idempotency", "idempotency begin+complete round trip (SQLite and file system, one caller and --concurrency N; Azurite with --azurite)", BenchmarkIdempotencyCommand.RunAsync),
    ("benchmark engine", "subscriber workflow runs per second and cost per action on the local engine", BenchmarkEngineCommand.RunAsync),
    ("simulate", "a peak day through the whole local stack with faults, invariants and a report (docs/simulation.md)", SimulateCommand.RunAsync),
};

var match = verbs
    .Where(v => v.Path.Split(' ').Length <= args.Length && v.Path.Split(' ').SequenceEqual(args.Take(v.Path.Split(' ').Length), StringComparer.OrdinalIgnoreCase))
    .OrderByDescending(v => v.Path.Length)
    .FirstOrDefault();

if (match.Run is null)
{
    Console.Error.WriteLine(args.Length == 0 ? "Usage: orders <verb> [options]" : $"Unknown verb '{string.Join(' ', args)}'.");
    foreach (var verb in verbs) Console.Error.WriteLine($"  {verb.Path,-24} {verb.Summary}");
    return 2;
}

try
{
    return await match.Run(new CliArgs(args.Skip(match.Path.Split(' ').Length)));
}
catch (CliUsageException ex)
{
    Console.Error.WriteLine($"{match.Path}: {ex.Message}");
    return 2;
}
