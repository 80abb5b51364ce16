using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.History;

/// <summary>
/// Run history as text, laid out like the portal: the run list (start time, workflow, status, duration, client
/// tracking id, run id) and one run with its actions in execution order. Times are UTC.
/// </summary>
public static class RunHistoryView
{
    public static void WriteList(TextWriter output, IReadOnlyList<RunRecord> runs)
    {
        if (runs.Count == 0)
        {
            output.WriteLine("No run matches.");
            return;
        }
        var rows = runs.Select(r => new[] { Time(r.StartTime), r.Workflow, r.Status.ToString(), Duration(r.Duration), r.ClientTrackingId ?? "", r.Id }).ToList();
        WriteTable(output, ["Start time (UTC)", "Workflow", "Status", "Duration", "Client tracking id", "Run id"], rows);
        output.WriteLine($"{runs.Count} run(s), newest first.");
    }

    public static void WriteJson(TextWriter output, IEnumerable<RunRecord> runs) =>
        output.WriteLine(new JArray(runs.Select(r => r.Json)).ToString(Formatting.Indented));

    public static void WriteRun(TextWriter output, RunRecord run)
    {
        output.WriteLine($"Run {run.Id}");
        Field(output, "Workflow", run.Workflow);
        Field(output, "Status", run.Status.ToString());
        Field(output, "Start time", Time(run.StartTime) + " UTC");
        Field(output, "Duration", Duration(run.Duration));
        Field(output, "Client tracking id", run.ClientTrackingId ?? "");
        if (run.ResubmittedFrom is { } from) Field(output, "Resubmitted from", from);
        if (run.Error is { } error) Field(output, "Error", $"{error.Value<string>("code")}: {error.Value<string>("message")}");
        var trigger = run.Trigger;
        Field(output, "Trigger", $"{trigger.Value<string>("name")} ({trigger.Value<string>("type")}), {trigger.Value<string>("status")} at {Time(RunRecord.Time(run.File, "trigger.startTime", trigger["startTime"]))}");
        output.WriteLine();

        var rows = run.Actions.Select((a, i) => new[]
        {
            (i + 1).ToString(CultureInfo.InvariantCulture), a.Name, a.Status ?? "", a.Code ?? "", Time(a.StartTime, timeOnly: true), Duration(a.Duration),
            a.RetryCount.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        if (rows.Count == 0)
        {
            output.WriteLine("No action ran.");
        }
        else
        {
            var details = run.Actions.Select(Details).ToList();
            WriteTable(output, ["#", "Action", "Status", "Code", "Start", "Duration", "Retries"], rows, details);
        }
        output.WriteLine();
        output.WriteLine("Inputs and outputs (secured ones as the history redacted them): add --json.");
    }

    /// <summary>What <c>runs resubmit</c> prints: the new run, what it did, and why replaying a subscriber run is safe.</summary>
    public static void WriteResubmitted(TextWriter output, ResubmittedRun resubmitted, string stateFolder)
    {
        var run = resubmitted.Run;
        var original = resubmitted.Original;
        output.WriteLine($"Resubmitted {original.Workflow} run {original.Id} ({original.Status}) with the same trigger outputs.");
        output.WriteLine($"New run: {run.Id}  {run.Status}  (resubmittedFrom {run.ResubmittedFrom}; written to {Relative(resubmitted.File)})");
        if (run.Error is { } error) output.WriteLine($"Error: {error.Value<string>("code")}: {error.Value<string>("message")}");
        if (resubmitted.Subscriber is { } subscriber)
        {
            var skipped = run.TryGetAction("Record_settlement_skipped", out var record) && record.Status == Workflows.Runtime.WorkflowStatus.Succeeded;
            output.WriteLine($"What it did: {subscriber.Effect}; decided settlement: {subscriber.Settlement ?? "none"}" +
                             (skipped ? "; the settlement was skipped (lock expired), recorded by Record_settlement_skipped." : "."));
            output.WriteLine("Why this is safe: the run replays the original trigger outputs, including the message's long-expired lock token. " +
                             "The idempotency record stops a second side effect (AlreadyCompleted), and the settlement against the expired lock " +
                             "is recorded as \"SettlementSkipped: lock expired\" instead of failing the run (docs/workflows.md, \"Resubmitting a run\"). " +
                             "To process a message again, resubmit its dead letter ('deadletters resubmit'), not the run.");
        }
        output.WriteLine($"Details: dotnet run --project tools/Cli -- runs show {run.Id} --state {Relative(stateFolder)}");
    }

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    /// <summary>Lines under an action's row: its error and tracked properties.</summary>
    private static IReadOnlyList<string> Details(ActionRecord action)
    {
        var lines = new List<string>();
        // A skipped action carries an error that only repeats why it was skipped; the status says it already.
        if (action.Status != "Skipped" && action.ErrorMessage is { } message) lines.Add("error: " + OneLine(message, 160));
        if (action.TrackedProperties is { Count: > 0 } tracked)
        {
            lines.Add("tracked: " + string.Join(", ", tracked.Properties().Select(p => $"{p.Name}={OneLine(p.Value.Type == JTokenType.String ? (string)p.Value! : p.Value.ToString(Formatting.None), 60)}")));
        }
        return lines;
    }

    private static void WriteTable(TextWriter output, string[] headers, IReadOnlyList<string[]> rows, IReadOnlyList<IReadOnlyList<string>>? details = null)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(headers));
        output.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray()));
        for (var i = 0; i < rows.Count; i++)
        {
            output.WriteLine(Line(rows[i]));
            if (details is null) continue;
            var indent = new string(' ', widths[0] + 4);
            foreach (var detail in details[i]) output.WriteLine(indent + detail);
        }
    }

    private static void Field(TextWriter output, string name, string value) => output.WriteLine($"  {name + ":",-20}{value}");

    private static string Time(DateTimeOffset? time, bool timeOnly = false) =>
        time is { } t ? t.UtcDateTime.ToString(timeOnly ? "HH:mm:ss.fff" : "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) : "";

    /// <summary>Short and readable, like the portal's duration column; "running" while there is no end.</summary>
    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "running",
        { TotalSeconds: < 1 } d => $"{d.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
        { TotalMinutes: < 1 } d => $"{d.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} min {d.Seconds} s",
        var d => $"{(int)d.Value.TotalHours} h {d.Value.Minutes} min",
    };

    private static string OneLine(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..max] + "…";
    }
}
