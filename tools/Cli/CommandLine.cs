using System.Text.RegularExpressions;
using Cli.Commands;

namespace Cli;

/// <summary>One verb: its words, what it does, the options it takes (its usage line is the one list of them), and
/// options only the program itself passes, each with a value (a crash day's host process).</summary>
public sealed record Verb(string Path, string Summary, string Usage, Func<CliArgs, Task<int>> Run, params string[] InternalOptions)
{
    public string[] Words { get; } = Path.Split(' ');

    /// <summary>The option names the usage line shows (<c>--name</c>), and the internal ones.</summary>
    public IReadOnlySet<string> Options { get; } =
        CommandLine.OptionsIn(Usage).Concat(InternalOptions).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each option's value as the usage line shows it (<c>--orders 100000</c>: "100000", <c>--state DIR</c>:
    /// "DIR"); null for a switch (<c>[--json]</c>: nothing follows the name).</summary>
    public IReadOnlyDictionary<string, string?> Values { get; } =
        CommandLine.ValuesIn(Usage).Concat(InternalOptions.Select(name => KeyValuePair.Create(name, (string?)"VALUE")))
            .ToDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The options that take no value.</summary>
    public IReadOnlySet<string> Switches => Values.Where(v => v.Value is null).Select(v => v.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many words besides options the verb takes (<c>runs show RUNID</c>: 2); more are refused.</summary>
    public int Positionals { get; init; }

    /// <summary>The verb stops cleanly on Ctrl+C itself (a <see cref="StopSignal"/>); any other is ended by
    /// <see cref="StopSignal.EndOnSignal"/>.</summary>
    public bool StopsItself { get; init; }
}

/// <summary>
/// Every verb of the CLI and how a command line finds one. <c>--help</c> (or <c>-h</c>) after a verb prints its usage
/// and runs nothing; an option the verb does not take is refused with the ones it takes (exit 2), so that a typo or a
/// <c>--help</c> never starts the verb with its defaults (a 100,000-order simulated day, say). So is an option its
/// usage shows with a value given without one (<c>--orders</c> alone), a switch given one (<c>--json=yes</c>), a word
/// the verb does not take, a FILE or ZIP that names a folder and a DIR that names a file.
/// </summary>
public static partial class CommandLine
{
    private const string Repo = "[--repo DIR]";

    public static readonly IReadOnlyList<Verb> Verbs =
    [
        new("samples", "validate the Logic App and run every sample message through the custom-code functions",
            "[--root DIR] [--verbose]", SamplesCommand.RunAsync),
        new("run", "run the whole Logic App locally (--once: send the samples, wait until settled, report, exit)",
            "[--port N] [--amqp-port N] | --once [--timeout SECONDS]", RunCommand.RunAsync) { StopsItself = true },
        new("send", "post the sample orders to a running 'run'",
            "[--url URL] [--invalid] [--token TOKEN]", SendCommand.RunAsync),
        new("token", "a local Microsoft Entra ID-shaped access token for a 'run' whose intake asks for one",
            "[--client-id ID] [--object-id OID] [--audience AUD] [--minutes N]", TokenCommand.RunAsync),
        new("wdl eval", "evaluate Workflow Definition Language cases: --cases FILE",
            "--cases FILE | FILE", WdlEvalCommand.RunAsync) { Positionals = 1 },
        new("servicebus filter-eval", "evaluate Service Bus SQL filter cases: --cases FILE",
            "--cases FILE", FilterEvalCommand.RunAsync),
        new("servicebus serve", "serve a Config.json topology over AMQP 1.0 (emulator connection string) until Ctrl+C",
            "[--config FILE] [--port 5672] [--state DIR]", ServiceBusServeCommand.RunAsync) { StopsItself = true },
        new("runs", "run history like the portal's: list | show <runId> | resubmit <runId>",
            "list [--workflow NAME] [--status S] [--tracking-id ID] [--order ORDERID] [--top N] [--json] | show RUNID [--json] | resubmit RUNID [--timeout SECONDS]; each [--state DIR]",
            RunsCommand.RunAsync) { Positionals = 2 },
        new("deadletters", "operator's tool for dead letters: list | show | resubmit | purge",
            "list | show SEQ | resubmit SEQ [--to SUBSCRIBER] [--wait] | purge [--archive]; [--subscriber NAME] [--yes]; "
            + "[--namespace NAME.servicebus.windows.net | --connection-string CS] [--lake URL] [--lake-container NAME] [--config FILE] [--state DIR]",
            DeadLettersCommand.RunAsync) { Positionals = 2, StopsItself = true },
        new("package", "build the zip-deploy package (workflows flattened to the app root)",
            $"[--output FILE] {Repo} [--sap-nco DIR] [--allow-missing-custom-code] [--allow-missing-sap]", PackageCommand.RunAsync),
        new("preflight", "check a package (--package ZIP) or the working tree for what Azure needs and the local stack cannot see",
            $"[--package ZIP] {Repo} [--sap-nco DIR] [--iac FILE] [--iac-parameters FILE] [--allow-missing-sap] [--allow-missing-custom-code]",
            PreflightCommand.RunAsync),
        new("designer", "generate the app folder the VS Code designer and func open",
            $"[--output DIR] {Repo}", DesignerCommand.RunAsync),
        new("powerbi", "regenerate the Power BI semantic model (TMDL) from the monitoring KQL files",
            Repo, PowerBiCommand.RunAsync),
        new("benchmark mapping", "per-call cost of each custom-code mapping function",
            "[--iterations N] [--warmup N]", BenchmarkMappingCommand.RunAsync),
        new("benchmark idempotency", "idempotency begin+complete round trip (SQLite and file system, one caller and --concurrency N; Azurite with --azurite)",
            "[--azurite] [--iterations N] [--warmup N] [--concurrency N]", BenchmarkIdempotencyCommand.RunAsync),
        new("benchmark broker", "local broker on SQLite: sends, receives and completions per second and CPU per operation; a backlog's memory",
            "[--messages N] [--backlog N] [--senders N] [--lines N]", BenchmarkBrokerCommand.RunAsync),
        new("benchmark engine", "subscriber workflow runs per second and cost per action on the local engine",
            $"[--workflow LakeArchive|SmsNotification] [--runs N] [--parallel N] {Repo}", BenchmarkEngineCommand.RunAsync),
        new("simulate", "a peak day through the whole local stack with faults, invariants and a report (docs/simulation.md)",
            "[--orders 100000] [--seed 1] [--profile clean|faults|FILE.json] [--report DIR] [--crash-process N] [--speed 30] [--sessions 32] [--window 1000] [--state DIR] [--loopback-http]",
            SimulateCommand.RunAsync, "host-process") { StopsItself = true },
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var verb = Verbs
            .Where(v => v.Words.Length <= args.Length && v.Words.SequenceEqual(args.Take(v.Words.Length), StringComparer.OrdinalIgnoreCase))
            .OrderByDescending(v => v.Words.Length)
            .FirstOrDefault();
        if (verb is null) return NoVerb(args, errors);

        var words = args.Skip(verb.Words.Length).ToArray();
        if (words.Any(IsHelp))
        {
            output.WriteLine($"orders {verb.Path} {verb.Usage}");
            output.WriteLine($"  {verb.Summary}");
            return 0;
        }
        try
        {
            var arguments = new CliArgs(words, verb.Switches);
            Check(verb, arguments);
            using var endOnSignal = verb.StopsItself ? null : StopSignal.EndOnSignal(verb.Path, errors);
            return await verb.Run(arguments);
        }
        catch (CliUsageException ex)
        {
            errors.WriteLine($"{verb.Path}: {ex.Message}");
            return 2;
        }
        catch (TestSupport.RepositoryNotFoundException ex)
        {
            // The verbs read the project's files (workflows, settings, samples): run outside a clone, say so, not crash.
            errors.WriteLine($"{verb.Path}: {ex.Message} Run it inside a clone of the repository (cd into it first).");
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ServiceBus.Local.Persistence.UnsupportedDatabaseException)
        {
            // The file system refused (no permission, a full disk, a path through a file): the user's machine, not a
            // bug, so the message without the stack.
            errors.WriteLine($"{verb.Path}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>No verb named: the list of verbs (exit 0 when asked for with --help, else 2); a group's first word
    /// (benchmark, servicebus, wdl) lists the verbs of the group.</summary>
    private static int NoVerb(string[] args, TextWriter errors)
    {
        if (args.Length == 0 || IsHelp(args[0]))
        {
            errors.WriteLine("Usage: orders <verb> [options]   (orders <verb> --help: its options)");
            foreach (var v in Verbs) errors.WriteLine($"  {v.Path,-24} {v.Summary}");
            return args.Length == 0 ? 2 : 0;
        }
        var group = Verbs.Where(v => v.Words.Length > 1 && v.Words[0].Equals(args[0], StringComparison.OrdinalIgnoreCase)).ToArray();
        if (group.Length == 0)
        {
            errors.WriteLine($"Unknown verb '{string.Join(' ', args)}'.");
            foreach (var v in Verbs) errors.WriteLine($"  {v.Path,-24} {v.Summary}");
            return 2;
        }
        var groupHelp = args.Length > 1 && args.Skip(1).All(IsHelp);
        var names = group.Select(v => v.Words[1]).ToArray();
        errors.WriteLine(groupHelp
            ? $"Usage: orders {group[0].Words[0]} <{string.Join('|', names)}> [options]"
            : $"'{args[0]}' takes one of {string.Join(", ", names)}{(args.Length > 1 ? $", not '{args[1]}'" : "")}.");
        foreach (var v in group) errors.WriteLine($"  {v.Path,-24} {v.Summary}");
        return groupHelp ? 0 : 2;
    }

    /// <summary>What the verb's usage line says of the words given, before anything runs: every option one it takes,
    /// with a value when it takes one and none when it is a switch, no more words than it takes, and a path option's
    /// path of the kind its usage names (FILE, ZIP: a file; DIR: a folder), under a folder rather than a file.</summary>
    private static void Check(Verb verb, CliArgs arguments)
    {
        var usage = $"Usage: orders {verb.Path} {verb.Usage}";
        var unknown = arguments.OptionNames.Where(name => !verb.Options.Contains(name)).ToArray();
        if (unknown.Length > 0)
            throw new CliUsageException($"unknown option{(unknown.Length > 1 ? "s" : "")} {string.Join(", ", unknown.Select(n => $"'--{n}'"))}. {usage}");
        foreach (var name in arguments.OptionNames)
        {
            var shown = verb.Values[name];
            var value = arguments.Get(name);
            if (shown is not null && string.IsNullOrEmpty(value))
                throw new CliUsageException($"--{name} needs a value (--{name} {shown}). {usage}");
            if (shown is null && value is not null)
                throw new CliUsageException($"--{name} is a switch and takes no value, not '{value}'. {usage}");
            if (shown is not null && value is not null) CheckPath(name, shown, value);
        }
        // A word like -top is a mistyped option, whether or not the verb takes words: naming it beats "unexpected word '3'".
        var singleDash = arguments.Positionals.Where(w => w.Length > 1 && w[0] == '-' && char.IsLetter(w[1])).ToArray();
        if (singleDash.Length > 0)
            throw new CliUsageException($"{string.Join(", ", singleDash.Select(w => $"'{w}'"))} {(singleDash.Length > 1 ? "are not options" : "is not an option")}: an option starts with two dashes ({string.Join(", ", singleDash.Select(w => "-" + w))}). {usage}");
        if (arguments.Positionals.Count > verb.Positionals)
        {
            var extra = arguments.Positionals.Skip(verb.Positionals).ToArray();
            throw new CliUsageException($"unexpected word{(extra.Length > 1 ? "s" : "")} {string.Join(", ", extra.Select(w => $"'{w}'"))}. {usage}");
        }
    }

    private static void CheckPath(string name, string shown, string value)
    {
        var kinds = shown.Split('|');
        var file = kinds.Contains("FILE") || kinds.Contains("ZIP");
        var folder = kinds.Contains("DIR");
        if (!file && !folder) return;
        var full = Path.GetFullPath(value);
        if (file && Directory.Exists(full)) throw new CliUsageException($"--{name} takes a file; '{value}' is a folder.");
        if (folder && File.Exists(full)) throw new CliUsageException($"--{name} takes a folder; '{value}' is a file.");
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent)) return;
            if (File.Exists(parent)) throw new CliUsageException($"--{name}: '{value}' cannot exist: '{parent}' is a file, not a folder.");
        }
    }

    /// <summary>A verb's usage line, for the verbs that print it in their own errors.</summary>
    public static string UsageOf(string path) => Verbs.Single(v => v.Path == path).Usage;

    private static bool IsHelp(string word) => word is "--help" or "-h" or "-?";

    /// <summary>The <c>--name</c> options a usage line shows.</summary>
    public static IEnumerable<string> OptionsIn(string usage) => OptionPattern().Matches(usage).Select(m => m.Groups[1].Value).Distinct();

    /// <summary>Each <c>--name</c> of a usage line with the word shown after it, or null when none is (a switch:
    /// <c>[--json]</c>, <c>--once [--timeout SECONDS]</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ValuesIn(string usage) => OptionWithValuePattern().Matches(usage)
        .Select(m => KeyValuePair.Create(m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null))
        .DistinctBy(pair => pair.Key);

    [GeneratedRegex(@"--([a-z][a-z0-9-]*)")]
    private static partial Regex OptionPattern();

    [GeneratedRegex(@"--([a-z][a-z0-9-]*)(?:\s+([^\s\[\]|;-][^\s\];]*))?")]
    private static partial Regex OptionWithValuePattern();
}
