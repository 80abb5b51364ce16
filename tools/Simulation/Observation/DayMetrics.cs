using System.Collections.Concurrent;
using System.Diagnostics;
using Simulation.Checking;
using Simulation.Generation;
using Workflows.Runtime;

namespace Simulation.Observation;

/// <summary>
/// The figures of a simulated day, gathered as it runs: what was published, every run's observation (deliveries,
/// settlements, retries, actions), latency from publish to each subscriber's first settlement decision (the KPI
/// "End-to-end latency" of docs/monitoring.md, in simulated seconds), storage operations per subscriber, and a timeline
/// sampled every second. Feeds the <see cref="DayLedger"/> with completions and dead letters as runs report them.
/// </summary>
public sealed class DayMetrics
{
    private readonly long[] publishedAt;
    private readonly byte[] finished;
    private readonly byte[][] decided;
    private readonly ConcurrentDictionary<string, WorkflowFigures> workflows = new(StringComparer.Ordinal);
    private readonly SubscriberFigures[] subscribers = Subscribers.All.Select(_ => new SubscriberFigures()).ToArray();
    private readonly long[] storageOperations = new long[Subscribers.All.Length];
    private readonly List<TimelineSample> timeline = [];
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private long posts, accepted, rejected, runs, done, unattributed;

    public DayMetrics(OrderDay day, DayLedger ledger)
    {
        Day = day;
        Ledger = ledger;
        publishedAt = new long[day.Slots];
        finished = new byte[day.Slots];
        decided = Subscribers.All.Select(_ => new byte[day.Slots]).ToArray();
    }

    public OrderDay Day { get; }

    public DayLedger Ledger { get; }

    public long Posts => Interlocked.Read(ref posts);
    public long AcceptedEvents => Interlocked.Read(ref accepted);
    public long Rejected => Interlocked.Read(ref rejected);
    public long Runs => Interlocked.Read(ref runs);

    /// <summary>Accepted events every routed subscriber has settled for good (completed or dead-lettered).</summary>
    public long DoneEvents => Interlocked.Read(ref done);

    /// <summary>Raised once per accepted event when the last subscriber it is routed to has settled it for good (on the
    /// thread that observed the run: handlers must be quick).</summary>
    public event Action? EventDone;

    /// <summary>Runs whose client tracking id names no event of the day (intake runs of refused posts, ...).</summary>
    public long Unattributed => Interlocked.Read(ref unattributed);

    public TimeSpan Elapsed => wall.Elapsed;

    public IReadOnlyDictionary<string, WorkflowFigures> Workflows => workflows;

    public SubscriberFigures For(Subscriber subscriber) => subscribers[(int)subscriber];

    public long StorageOperations(Subscriber subscriber) => Interlocked.Read(ref storageOperations[(int)subscriber]);

    public IReadOnlyList<TimelineSample> Timeline
    {
        get { lock (timeline) return timeline.ToArray(); }
    }

    /// <summary>The intake was posted an event (every attempt, repeats included).</summary>
    public void Posted() => Interlocked.Increment(ref posts);

    /// <summary>The intake accepted a post of the event at simulated time <paramref name="at"/>.</summary>
    public void Accepted(EventRef e, DateTimeOffset at)
    {
        Ledger.Accepted(e);
        if (Interlocked.CompareExchange(ref publishedAt[e.Slot], at.UtcTicks, 0) == 0) Interlocked.Increment(ref accepted);
    }

    public void Refused() => Interlocked.Increment(ref rejected);

    /// <summary>Storage operations counted elsewhere (a host process reports its own).</summary>
    public void AddStorageOperations(Subscriber subscriber, long count) => Interlocked.Add(ref storageOperations[(int)subscriber], count);

    /// <summary>One finished run.</summary>
    public void Observe(RunObservation run)
    {
        Interlocked.Increment(ref runs);
        var figures = workflows.GetOrAdd(run.Workflow, _ => new WorkflowFigures());
        figures.Runs.Increment();
        var attributed = EventIds.TryParseCorrelationId(Day.Seed, run.ClientTrackingId, out var e) && Day.Has(e);
        if (!attributed) Interlocked.Increment(ref unattributed);

        if (Subscribers.TryParse(run.Workflow, out var subscriber) && !run.Workflow.EndsWith("DeadLetters", StringComparison.Ordinal))
        {
            var s = subscribers[(int)subscriber];
            s.Retries.Add(run.RetryAttempts);
            if (run.Decision is not { } decision) return;
            s.Deliveries.Increment();
            if (!decision.Succeeded) s.FailedDeliveries.Increment();
            if (decision.DeliveryCount > 1) s.Redeliveries.Increment();
            if (decision.Settlement == "deadLetter") s.DeadLetterDecisions.Increment();
            if (decision.DeliveryCount == 1 && run.Settled) figures.AddFirstDeliveryRun(run.Actions);
            if (!attributed) return;
            if (Interlocked.Exchange(ref decided[(int)subscriber][e.Slot], 1) == 0 && Interlocked.Read(ref publishedAt[e.Slot]) is var published and > 0)
            {
                s.Latency.Add(TimeSpan.FromTicks(decision.AtTicks - published));
            }
            if (decision.Settlement == "complete" && run.Settled) Ledger.Completed(subscriber, e);
            if (decision.Settlement == "complete" && run.Settled && decision.Outcome == "Superseded") Ledger.Superseded(subscriber, e);
            if (decision.IsFinal && run.Settled) Finished(subscriber, e);
            return;
        }
        if (run.Workflow.EndsWith("DeadLetters", StringComparison.Ordinal))
        {
            if (run.AlertPosted) figures.AlertsPosted.Increment();
            return;
        }
        // The intake and anything else: every run counts for actions per run.
        figures.AddFirstDeliveryRun(run.Actions);
    }

    private void Finished(Subscriber subscriber, EventRef e)
    {
        var bit = (byte)(1 << (int)subscriber);
        var plan = Day.Plan(e.Order);
        var routed = Subscribers.All.Where(s => InvariantChecker.Routed(s, plan)).Aggregate(0, (mask, s) => mask | 1 << (int)s);
        ref var mask = ref finished[e.Slot];
        while (true)
        {
            var current = Volatile.Read(ref mask);
            if ((current & bit) != 0) return;
            var next = (byte)(current | bit);
            if (Interlocked.CompareExchange(ref mask, next, current) != current) continue;
            if (next == routed)
            {
                Interlocked.Increment(ref done);
                EventDone?.Invoke();
            }
            return;
        }
    }

    /// <summary>Takes a timeline sample (the progress loop calls it every second).</summary>
    public TimelineSample Sample(DateTimeOffset simulatedNow, long workingSetBytes)
    {
        var sample = new TimelineSample(wall.Elapsed.TotalSeconds, simulatedNow, AcceptedEvents, DoneEvents, Runs,
            subscribers.Sum(s => s.Deliveries.Value), workingSetBytes);
        lock (timeline) timeline.Add(sample);
        return sample;
    }
}

/// <summary>Per workflow: runs, and actions executed by the runs that settled their message on the first delivery.</summary>
public sealed class WorkflowFigures
{
    private long actions, counted;

    public Counter Runs { get; } = new();

    public Counter AlertsPosted { get; } = new();

    public void AddFirstDeliveryRun(int actionCount)
    {
        Interlocked.Add(ref actions, actionCount);
        Interlocked.Increment(ref counted);
    }

    /// <summary>Average actions executed per run that settled its message on the first delivery (intake: per run).</summary>
    public double? ActionsPerRun => Interlocked.Read(ref counted) is var n and > 0 ? (double)Interlocked.Read(ref actions) / n : null;
}

/// <summary>Per subscriber: deliveries (settlement decisions), failed ones (KPI failure rate), redeliveries, dead-letter
/// decisions, retry attempts inside runs, and latency from publish to the first settlement decision.</summary>
public sealed class SubscriberFigures
{
    public Counter Deliveries { get; } = new();
    public Counter FailedDeliveries { get; } = new();
    public Counter Redeliveries { get; } = new();
    public Counter DeadLetterDecisions { get; } = new();
    public Counter Retries { get; } = new();
    public LatencyHistogram Latency { get; } = new();
}

public sealed class Counter
{
    private long value;

    public long Value => Interlocked.Read(ref value);

    public void Increment() => Interlocked.Increment(ref value);

    public void Add(long n)
    {
        if (n != 0) Interlocked.Add(ref value, n);
    }
}

/// <summary>One point of the timeline: wall seconds since start, simulated time, cumulative counts, working set.</summary>
public sealed record TimelineSample(double WallSeconds, DateTimeOffset Simulated, long Accepted, long Done, long Runs, long Deliveries, long WorkingSetBytes);
