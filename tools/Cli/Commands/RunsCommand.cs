using LocalLogicApp.History;
using LocalLogicApp.Hosting;
using Workflows.Runtime;
using Workflows.Runtime.History;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// Run history like the portal's: <c>runs list [--workflow NAME] [--status S] [--tracking-id ID] [--order ORDERID]
/// [--top N] [--json]</c>, <c>runs show RUNID [--json]</c>, <c>runs resubmit RUNID [--timeout SECONDS]</c>, each with
/// <c>[--state FOLDER]</c> (default <c>.local/app</c>, the state of <c>run</c>; <c>.local/once</c> for the last
/// <c>run --once</c>). Reading and resubmitting live in <c>LocalLogicApp/History</c>; this verb only parses and prints.
/// </summary>
public static class RunsCommand
{
    private static string Usage => CommandLine.UsageOf("runs");
    private static readonly WorkflowStatus[] ListableStatuses = [WorkflowStatus.Succeeded, WorkflowStatus.Failed, WorkflowStatus.Cancelled, WorkflowStatus.Running];

    public static Task<int> RunAsync(CliArgs args) => RunAsync(args, Console.Out, Console.Error, CancellationToken.None);

    private static async Task<int> RunAsync(CliArgs args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var action = args.Positionals.FirstOrDefault()?.ToLowerInvariant() ?? throw new CliUsageException("say what to do: " + Usage);
        if (action is not ("list" or "show" or "resubmit")) throw new CliUsageException($"unknown action '{action}': {Usage}");
        // What the words say is checked before the state folder is opened: a mistake in them is named first.
        var query = action == "list" ? Query(args) : null;
        var runId = action == "list" ? null : RunId(args);
        if (action == "list" && args.Positionals.Count > 1) throw new CliUsageException($"'list' takes no run id (filter with --workflow, --status, --tracking-id, --order): {Usage}");
        var timeout = TimeSpan.FromSeconds(args.GetInt("timeout", (int)RunResubmission.DefaultSettleTimeout.TotalSeconds, min: 1));
        var root = RepositoryRoot.Find();
        var state = Path.GetFullPath(args.Get("state") ?? Path.Combine(ProjectRoot.LocalStateFolder(root), "app"), Environment.CurrentDirectory);
        try
        {
            switch (action)
            {
                case "list":
                    return List(RunHistoryFile.Open(state), query!, args, output, errors);
                case "show":
                    var run = RunHistoryFile.Open(state).Find(runId!);
                    if (args.Has("json")) output.WriteLine(run.Json.ToString(Newtonsoft.Json.Formatting.Indented));
                    else RunHistoryView.WriteRun(output, run);
                    return 0;
                default:
                    // The host that replays the run refuses a state file its store cannot read (StateDatabases).
                    return await ResubmitAsync(root, state, runId!, timeout, output, errors, cancellationToken);
            }
        }
        catch (RunHistoryException ex)
        {
            errors.WriteLine(ex.Message);
            return 1;
        }
        catch (Exception ex) when (action == "resubmit" && ex is InvalidOperationException or IOException or TimeoutException or Workflows.Runtime.Definitions.LogicAppLoadException)
        {
            // The local stack could not start or finish on this state folder (project invalid, state unreadable, ...).
            errors.WriteLine("Resubmit failed: " + ex.Message);
            return 1;
        }
    }

    private static RunQuery Query(CliArgs args)
    {
        WorkflowStatus? status = null;
        if (args.Get("status") is { } text)
        {
            status = ListableStatuses.Where(s => s.ToString().Equals(text, StringComparison.OrdinalIgnoreCase)).Cast<WorkflowStatus?>().FirstOrDefault()
                     ?? throw new CliUsageException($"--status takes {string.Join(", ", ListableStatuses)}, not '{text}'.");
        }
        var top = args.Has("top") ? args.GetInt("top", 0, min: 1) : (int?)null;
        return new RunQuery(WorkflowName: args.Get("workflow"), Status: status, ClientTrackingId: args.Get("tracking-id"), Top: top);
    }

    private static int List(RunHistoryFile history, RunQuery query, CliArgs args, TextWriter output, TextWriter errors)
    {
        var found = history.Query(query, args.Get("order"));

        if (args.Has("json")) RunHistoryView.WriteJson(output, found.Runs);
        else RunHistoryView.WriteList(output, found.Runs);
        foreach (var problem in found.Unreadable) errors.WriteLine(problem.Message);
        return found.Unreadable.Count == 0 ? 0 : 1;
    }

    private static async Task<int> ResubmitAsync(string root, string state, string runId, TimeSpan timeout, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var resubmitted = await RunResubmission.ResubmitOnStateAsync(new LocalHostOptions
        {
            ProjectRoot = root,
            StateFolder = state,
            Log = line => errors.WriteLine("» " + line),
        }, runId, timeout, cancellationToken);

        RunHistoryView.WriteResubmitted(output, resubmitted, state);
        if (resubmitted.StillBusy is { } busy) errors.WriteLine("WARNING: " + busy);
        return 0;
    }

    private static string RunId(CliArgs args) =>
        args.Positionals.Skip(1).FirstOrDefault() ?? throw new CliUsageException("give the run id shown by 'runs list'.");
}
