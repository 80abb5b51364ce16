using System.Collections.Concurrent;
using Simulation.Generation;

namespace Simulation.Checking;

/// <summary>
/// What the outside world saw during a simulated day, event by event: which events the intake accepted, which side
/// effects each downstream applied (in the order it applied them), which subscriber completed or dead-lettered which event,
/// which Teams cards were posted, and what the broker still held at the end. Filled from the stand-ins' records, the runs'
/// settlements, the lake and the broker; read by <see cref="InvariantChecker"/>. Per-event counters are byte arrays
/// indexed by <see cref="EventRef.Slot"/>: a few bytes per event, whatever the run history and the stand-ins keep.
/// </summary>
public sealed class DayLedger
{
    private readonly byte[] accepted;
    private readonly byte[][] effects;
    private readonly byte[][] completions;
    private readonly byte[][] deadLetters;
    private readonly byte[][] alerts;
    private readonly byte[][] lastApplied;
    private readonly byte[][] superseded;
    private readonly ConcurrentQueue<string> anomalies = new();
    private readonly ConcurrentQueue<string> orderViolations = new();
    private readonly ConcurrentQueue<string> leftovers = new();
    private readonly ConcurrentDictionary<string, int> deadLetterReasons = new(StringComparer.Ordinal);

    public DayLedger(OrderDay day)
    {
        Day = day;
        accepted = new byte[day.Slots];
        effects = NewPerSubscriber(day.Slots);
        completions = NewPerSubscriber(day.Slots);
        deadLetters = NewPerSubscriber(day.Slots);
        alerts = NewPerSubscriber(day.Slots);
        lastApplied = NewPerSubscriber(day.Orders);
        superseded = NewPerSubscriber(day.Slots);
    }

    public OrderDay Day { get; }

    /// <summary>Things that can't be tied to an event of the day (an effect for an order the day does not have, ...).</summary>
    public IReadOnlyCollection<string> Anomalies => anomalies;

    /// <summary>Events a session subscriber applied after a later event of the same order.</summary>
    public IReadOnlyCollection<string> OrderViolations => orderViolations;

    /// <summary>What the broker still held at the end (entity and counts).</summary>
    public IReadOnlyCollection<string> Leftovers => leftovers;

    public IReadOnlyDictionary<string, int> DeadLetterReasons => deadLetterReasons;

    /// <summary>The intake answered 202 to a post of the event.</summary>
    public void Accepted(EventRef e) => Increment(accepted, e.Slot);

    /// <summary>A downstream applied the subscriber's side effect for the event (SAP committed, an SMS was sent, the
    /// reservation changed, a lake file was written). Calls come in the order the downstream applied them.</summary>
    public void Effect(Subscriber subscriber, EventRef e)
    {
        if (!InDay(e, $"{subscriber.Downstream()} applied a side effect")) return;
        Increment(effects[(int)subscriber], e.Slot);
        if (!subscriber.IsSession()) return;
        // Business order per order: Created (position 1) < Updated (2) < Cancelled (3).
        var positions = lastApplied[(int)subscriber];
        var position = (byte)((int)e.Kind + 1);
        lock (positions)
        {
            var last = positions[e.Order];
            if (last > position)
            {
                orderViolations.Enqueue($"{Describe(e)}: {subscriber.Workflow()} applied it after the order's {(EventKind)(last - 1)} (events applied out of business order)");
            }
            if (position > last) positions[e.Order] = position;
        }
    }

    /// <summary>A subscriber run settled the event's message with complete.</summary>
    public void Completed(Subscriber subscriber, EventRef e)
    {
        if (InDay(e, $"{subscriber.Workflow()} completed a message")) Increment(completions[(int)subscriber], e.Slot);
    }

    /// <summary>A subscriber run completed the event's message as superseded: a later event of the order (its
    /// cancellation), applied first, made it moot, so the downstream was not called.</summary>
    public void Superseded(Subscriber subscriber, EventRef e)
    {
        if (InDay(e, $"{subscriber.Workflow()} completed a message as superseded")) Increment(superseded[(int)subscriber], e.Slot);
    }

    /// <summary>The event's message was dead-lettered by the subscriber (as the dead-letter archive shows it).</summary>
    public void DeadLettered(Subscriber subscriber, EventRef e, string? reason)
    {
        if (!InDay(e, $"a dead letter of {subscriber.Workflow()}")) return;
        Increment(deadLetters[(int)subscriber], e.Slot);
        deadLetterReasons.AddOrUpdate(string.IsNullOrWhiteSpace(reason) ? "(no reason)" : reason, 1, (_, n) => n + 1);
    }

    /// <summary>A Teams card announced a dead letter of the subscriber for the event.</summary>
    public void Alerted(Subscriber subscriber, EventRef e)
    {
        if (InDay(e, $"a Teams alert for {subscriber.Workflow()}")) Increment(alerts[(int)subscriber], e.Slot);
    }

    /// <summary>Something that can't be tied to an event of the day.</summary>
    public void Anomaly(string what) => anomalies.Enqueue(what);

    /// <summary>The broker still held messages at the end.</summary>
    public void LeftOnBroker(string what) => leftovers.Enqueue(what);

    public int AcceptedCount(EventRef e) => accepted[e.Slot];
    public int Effects(Subscriber subscriber, EventRef e) => effects[(int)subscriber][e.Slot];
    public int Completions(Subscriber subscriber, EventRef e) => completions[(int)subscriber][e.Slot];
    public int Supersessions(Subscriber subscriber, EventRef e) => superseded[(int)subscriber][e.Slot];
    public int DeadLetters(Subscriber subscriber, EventRef e) => deadLetters[(int)subscriber][e.Slot];
    public int Alerts(Subscriber subscriber, EventRef e) => alerts[(int)subscriber][e.Slot];

    public string Describe(EventRef e) => $"order {Day.OrderId(e.Order)} {e.EventType} ({Day.MessageId(e)})";

    private bool InDay(EventRef e, string what)
    {
        if (Day.Has(e)) return true;
        anomalies.Enqueue($"{what} for {e.EventType} of order {Day.OrderId(e.Order)}, which the day never published");
        return false;
    }

    private static void Increment(byte[] counters, int index)
    {
        // Saturating: 255 means "255 or more", enough to tell once from several.
        ref var counter = ref counters[index];
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current == byte.MaxValue) return;
            if (Interlocked.CompareExchange(ref counter, (byte)(current + 1), current) == current) return;
        }
    }

    private static byte[][] NewPerSubscriber(int length) => Subscribers.All.Select(_ => new byte[length]).ToArray();
}
