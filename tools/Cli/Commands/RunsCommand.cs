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
        var root = RepositoryRoot.Find();
        var state = Path.GetFullPath(args.Get("state") ?? Path.Combine(ProjectRoot.LocalStateFolder(root), "app"), Environment.CurrentDirectory);
        try
        {
            switch (action)
            {
                case "list":
                    return List(RunHistoryFile.Open(state), args, output, errors);
                case "show":
                    var run = RunHistoryFile.Open(state).Find(RunId(args));
                    if (args.Has("json")) output.WriteLine(run.Json.ToString(Newtonsoft.Json.Formatting.Indented));
                    else RunHistoryView.WriteRun(output, run);
                    return 0;
                case "resubmit":
                    return await ResubmitAsync(root, state, args, output, errors, cancellationToken);
                default:
                    throw new CliUsageException($"unknown action '{action}': {Usage}");
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

    private static int List(RunHistoryFile history, CliArgs args, TextWriter output, TextWriter errors)
    {
        WorkflowStatus? status = null;
        if (args.Get("status") is { } text)
        {
            status = ListableStatuses.Where(s => s.ToString().Equals(text, StringComparison.OrdinalIgnoreCase)).Cast<WorkflowStatus?>().FirstOrDefault()
                     ?? throw new CliUsageException($"--status takes {string.Join(", ", ListableStatuses)}, not '{text}'.");
        }
        var top = args.Has("top") ? args.GetInt("top", 0) : (int?)null;
        if (top is < 1) throw new CliUsageException("--top takes a number of runs, 1 or more.");
        var query = new RunQuery(WorkflowName: args.Get("workflow"), Status: status, ClientTrackingId: args.Get("tracking-id"), Top: top);
        var found = history.Query(query, args.Get("order"));

        if (args.Has("json")) RunHistoryView.WriteJson(output, found.Runs);
        else RunHistoryView.WriteList(output, found.Runs);
        foreach (var problem in found.Unreadable) errors.WriteLine(problem.Message);
        return found.Unreadable.Count == 0 ? 0 : 1;
    }

    private static async Task<int> ResubmitAsync(string root, string state, CliArgs args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var runId = RunId(args);
        var timeout = TimeSpan.FromSeconds(args.GetInt("timeout", (int)RunResubmission.DefaultSettleTimeout.TotalSeconds));
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
