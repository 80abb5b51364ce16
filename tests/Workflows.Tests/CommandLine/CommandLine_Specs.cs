using System.Text.RegularExpressions;
using Cli;
using TestSupport;

namespace Workflows.Tests.CommandLine;

/// <summary>The CLI's verbs: <c>--help</c> and a mistyped option never start a verb with its defaults.</summary>
[TestClass]
public sealed class CommandLine_Specs
{
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task Help_after_a_verb_prints_its_usage_and_runs_nothing()
    {
        var (code, output, errors) = await RunAsync("simulate", "--help");

        Assert.AreEqual(0, code, errors);
        StringAssert.StartsWith(output, "orders simulate [--orders 100000] [--seed 1] [--profile clean|faults|FILE.json]");
        Assert.AreEqual("", errors, "nothing ran, so nothing reported progress");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task An_option_the_verb_does_not_take_is_refused_with_the_ones_it_takes()
    {
        var (code, output, errors) = await RunAsync("simulate", "--order", "10");

        Assert.AreEqual(2, code);
        Assert.AreEqual("", output);
        StringAssert.StartsWith(errors, "simulate: unknown option '--order'. Usage: orders simulate [--orders 100000]");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task A_simulation_without_session_receivers_is_refused_before_it_starts()
    {
        var (code, output, errors) = await RunAsync("simulate", "--orders", "10", "--sessions", "0");

        Assert.AreEqual(2, code);
        Assert.AreEqual("", output);
        StringAssert.Contains(errors, "--sessions takes a whole number, 1 or more, not '0'.");
    }

    [TestMethod]
    public async Task Help_without_a_verb_lists_the_verbs()
    {
        var (code, _, errors) = await RunAsync("--help");

        Assert.AreEqual(0, code);
        StringAssert.Contains(errors, "  simulate ");
        StringAssert.Contains(errors, "  deadletters ");
    }

    [TestMethod]
    public async Task A_verb_that_needs_an_action_names_its_usage_from_the_one_list()
    {
        var (code, _, errors) = await RunAsync("runs");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "runs: say what to do: list [--workflow NAME]");
        StringAssert.Contains(errors, Cli.CommandLine.UsageOf("runs"));
    }

    [TestMethod]
    public async Task An_unknown_verb_is_refused()
    {
        var (code, _, errors) = await RunAsync("simulat", "--orders", "10");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "Unknown verb 'simulat --orders 10'.");
    }

    /// <summary>The drift check: every option a command reads (<c>args.Get("name")</c> and the like, in the file of its
    /// class) is one its usage line shows, so a new option cannot be added without being documented and accepted.</summary>
    [TestMethod]
    public void Every_option_a_command_reads_is_in_its_usage()
    {
        var reads = new Regex(@"args(?:\.(?:Get|Has|Require|GetInt)\(|, )""([a-z][a-z0-9-]*)""");
        var missing = new List<string>();
        foreach (var verb in Cli.CommandLine.Verbs)
        {
            var type = verb.Run.Method.DeclaringType!;
            var source = File.ReadAllText(RepositoryRoot.PathOf($"tools/Cli/Commands/{type.Name}.cs"));
            var read = reads.Matches(source).Select(m => m.Groups[1].Value).ToHashSet();
            if (source.Contains("LogicAppProject.FromArgs(args)", StringComparison.Ordinal)) read.Add("repo");
            missing.AddRange(read.Where(name => !verb.Options.Contains(name)).Select(name => $"{verb.Path}: --{name}"));
        }
        Assert.IsEmpty(missing, "read but not in the usage line: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void The_drift_check_reads_the_options_of_a_command()
    {
        var simulate = Cli.CommandLine.Verbs.Single(v => v.Path == "simulate");
        CollectionAssert.IsSubsetOf(new[] { "orders", "seed", "profile", "report", "crash-process", "speed", "sessions", "window", "state", "loopback-http", "host-process" },
            simulate.Options.ToArray());
    }

    private static Task<(int Code, string Output, string Errors)> RunAsync(params string[] args) => CommandLineRun.RunAsync(args);
}
