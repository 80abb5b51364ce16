using LocalLogicApp.Hosting;
using LocalLogicApp.Reporting;
using Workflows.Runtime.History;

namespace LocalLogicApp.History;

/// <summary>A resubmitted run: the original, the new run (finished), the run history it was written to, and, for a
/// subscriber, what it did (the once-report's words: settlement and effect).</summary>
/// <param name="StillBusy">Set when the app was not idle after the settle timeout (what was still busy).</param>
public sealed record ResubmittedRun(RunRecord Original, WorkflowRun Run, string File, SubscriberOutcome? Subscriber, string? StillBusy);

/// <summary>
/// The portal's Resubmit on the local app: a finished run runs again with the same trigger outputs under a new run id
/// (<c>resubmittedFrom</c> names the original), on the engine of a host whose broker, storage and stand-ins are the
/// app's. The new run is written to the run history.
/// </summary>
public static class RunResubmission
{
    public static readonly TimeSpan DefaultSettleTimeout = TimeSpan.FromSeconds(120);

    /// <summary>What <c>runs resubmit</c> does: refuses what the portal refuses, then starts the whole local stack
    /// on the state folder of <paramref name="options"/> (which must not be owned by a running app), resubmits,
    /// waits until the app is idle, stops it, and keeps every run of that session in the run history.</summary>
    public static async Task<ResubmittedRun> ResubmitOnStateAsync(LocalHostOptions options, string runId, TimeSpan settleTimeout, CancellationToken cancellationToken)
    {
        var stateFolder = options.StateFolder ?? throw new ArgumentException("The state folder is required.", nameof(options));
        var history = RunHistoryFile.Open(stateFolder);
        var original = history.Find(runId);
        EnsureResubmittable(original);
        if (BrokerOwnership.LiveOtherOwner(history.StateFolder) is int owner)
        {
            throw RunHistoryException.NotResubmittable(
                $"The app runs on {history.StateFolder} (process {owner}) and owns its broker: a second stack there would be a broker restart for it. " +
                $"Stop it (Ctrl+C), then run 'runs resubmit {runId}' again; its run history stays readable meanwhile ('runs list').");
        }

        var host = await LocalLogicAppHost.StartAsync(options with { WriteRunHistory = true }, cancellationToken).ConfigureAwait(false);
        ResubmittedRun result;
        try
        {
            result = await ResubmitAsync(host, original, settleTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Stopping writes the run history; a run still in flight would keep its checkpoint and resume on the next start.
            await host.DisposeAsync().ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>Resubmits on a running host (its engine, broker, storage and stand-ins) and waits until it is idle; the
    /// new run is in the host's run history.</summary>
    public static async Task<ResubmittedRun> ResubmitAsync(LocalLogicAppHost host, RunRecord original, TimeSpan settleTimeout, CancellationToken cancellationToken)
    {
        EnsureResubmittable(original);
        if (!host.App.Workflows.ContainsKey(original.Workflow))
        {
            throw RunHistoryException.NotResubmittable($"Run {original.Id} belongs to the workflow '{original.Workflow}', which the Logic App no longer has.");
        }
        if (host.History.Find(original.Id) is null)
        {
            throw RunHistoryException.NotFound($"Run {original.Id} is not in the run history of {host.StateFolder}");
        }
        var run = await host.Engine.ResubmitAsync(original.Id, cancellationToken).ConfigureAwait(false);
        string? stillBusy = null;
        try
        {
            await host.WaitUntilIdleAsync(settleTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            stillBusy = ex.Message;
        }
        var file = RunHistoryFile.PathIn(host.StateFolder);
        var subscriber = OnceRun.Subscribers.Contains(run.WorkflowName) ? SubscriberRuns.Describe(run.WorkflowName, [run]) : null;
        return new ResubmittedRun(original, run, file, subscriber, stillBusy);
    }

    /// <summary>The portal resubmits only finished runs.</summary>
    public static void EnsureResubmittable(RunRecord original)
    {
        if (!original.IsFinished)
        {
            throw RunHistoryException.NotResubmittable(
                $"Run {original.Id} of {original.Workflow} is {original.Status}: only finished runs (Succeeded, Failed, Cancelled) can be resubmitted.");
        }
    }
}
