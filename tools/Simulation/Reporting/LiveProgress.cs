using System.Globalization;
using Simulation.Checking;
using Simulation.Running;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Simulation.Reporting;

/// <summary>
/// Progress on stderr while the day runs: events published, deliveries settled per subscriber, dead letters, runs per
/// second, memory, wall and simulated time. On a terminal a live table (Spectre.Console) redraws in place; otherwise
/// (CI, a pipe) one plain line every few seconds. Log lines go above it.
/// </summary>
public sealed class LiveProgress : ISimulationProgress, IDisposable
{
    private readonly IAnsiConsole console;
    private readonly bool interactive;
    private readonly object gate = new();
    private ProgressSnapshot? latest;
    private Task? live;
    private readonly CancellationTokenSource stop = new();
    private DateTime lastPlainLine;
    private bool disposed;

    public LiveProgress(TextWriter errors, bool? interactive = null)
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
        this.interactive = interactive ?? (!Console.IsErrorRedirected && console.Profile.Capabilities.Interactive);
    }

    public void Log(string line)
    {
        lock (gate)
        {
            if (interactive) console.MarkupLineInterpolated($"[grey]» {line}[/]");
            else console.WriteLine("» " + line);
        }
    }

    public void Sample(ProgressSnapshot snapshot)
    {
        lock (gate) latest = snapshot;
        if (interactive)
        {
            live ??= console.Live(Render(snapshot)).AutoClear(false).StartAsync(async context =>
            {
                while (!stop.IsCancellationRequested)
                {
                    ProgressSnapshot? current;
                    lock (gate) current = latest;
                    if (current is not null) context.UpdateTarget(Render(current));
                    try { await Task.Delay(500, stop.Token); } catch (OperationCanceledException) { break; }
                }
                lock (gate) if (latest is not null) context.UpdateTarget(Render(latest));
            });
            return;
        }
        if (DateTime.UtcNow - lastPlainLine < TimeSpan.FromSeconds(5)) return;
        lastPlainLine = DateTime.UtcNow;
        lock (gate) console.WriteLine(PlainLine(snapshot));
    }

    public static string PlainLine(ProgressSnapshot s) => string.Create(CultureInfo.InvariantCulture,
        $"» {s.Wall.TotalSeconds,6:0.0} s  accepted {s.Accepted:N0}/{s.Events:N0}  settled {s.Done:N0}  " +
        $"{string.Join("  ", s.PerSubscriber.Select(p => $"{p.Key.Workflow()} {p.Value.Deliveries:N0}"))}  dead letters {s.PerSubscriber.Values.Sum(v => v.DeadLetters):N0}  " +
        $"{s.RunsPerSecond:N0} runs/s  {s.WorkingSetBytes / 1048576.0:N0} MB  simulated {s.Simulated:HH:mm:ss}");

    private static IRenderable Render(ProgressSnapshot s)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"simulate: {s.Orders:N0} orders — {s.Phase}");
        table.AddColumn("");
        table.AddColumn(new TableColumn("").RightAligned());
        table.AddRow("published (accepted / events)", $"{s.Accepted:N0} / {s.Events:N0}  ({s.Posts:N0} posts)");
        table.AddRow("settled by every subscriber", s.Done.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var (subscriber, (deliveries, deadLetters)) in s.PerSubscriber)
        {
            table.AddRow($"  {subscriber.Workflow()} deliveries / dead letters", $"{deliveries:N0} / {deadLetters:N0}");
        }
        table.AddRow("runs (total, per second)", $"{s.Runs:N0}  ({s.RunsPerSecond:N0}/s)");
        table.AddRow("working set", $"{s.WorkingSetBytes / 1048576.0:N0} MB");
        table.AddRow("wall / simulated time", $"{s.Wall.TotalSeconds:N1} s / {s.Simulated:yyyy-MM-dd HH:mm:ss}");
        return table;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stop.Cancel();
        try { live?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        stop.Dispose();
    }
}
