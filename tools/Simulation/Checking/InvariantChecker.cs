using Simulation.Generation;

namespace Simulation.Checking;

/// <summary>What the checker found: violations (each naming its order and event), and the counts the summary reports.</summary>
public sealed record CheckResult(
    IReadOnlyList<string> Violations,
    int ViolationCount,
    int Accepted,
    int Lost,
    IReadOnlyDictionary<string, int> DuplicateSideEffects,
    int DeadLettered,
    int Alerts)
{
    public bool InvariantsHeld => ViolationCount == 0;
}

/// <summary>
/// The invariants of a day (docs/simulation.md, "Invariants"), checked from a <see cref="DayLedger"/>:
/// <list type="number">
/// <item>Every event the intake accepted is accounted for: each subscriber its filter routes it to applied it (the
/// downstream shows the side effect; where none is due, the subscriber completed the message), or dead-lettered it with a
/// reason and alerted exactly once (one Teams card per dead letter). An update the subscriber completed as superseded
/// (the order's cancellation was applied first) is accounted for when the downstream shows the cancellation; one the
/// downstream applied after the cancellation anyway is reported by the business-order check.</item>
/// <item>No duplicate side effect at any downstream: one SAP document operation per order and event, one SMS per event,
/// one reservation change per event, one lake file per event.</item>
/// <item>The session subscribers (SAP, warehouse) apply each order's events in business order.</item>
/// <item>Nothing is left active, locked, scheduled or dead-lettered unalerted on the broker at the end.</item>
/// </list>
/// </summary>
public static class InvariantChecker
{
    /// <summary>Violations listed in full up to this many; the count covers all.</summary>
    public const int MaxListed = 1000;

    public static CheckResult Check(DayLedger ledger)
    {
        var day = ledger.Day;
        var violations = new List<string>();
        var count = 0;
        void Violation(string text)
        {
            count++;
            if (violations.Count < MaxListed) violations.Add(text);
        }

        var accepted = 0;
        var lost = 0;
        var deadLettered = 0;
        var alerts = 0;
        var duplicates = Subscribers.All.ToDictionary(s => s.Downstream(), _ => 0);
        for (var order = 0; order < day.Orders; order++)
        {
            var plan = day.Plan(order);
            foreach (var kind in plan.Kinds())
            {
                var e = new EventRef(order, kind);
                var wasAccepted = ledger.AcceptedCount(e) > 0;
                if (wasAccepted) accepted++;
                var eventLost = false;
                foreach (var subscriber in Subscribers.All)
                {
                    var effects = ledger.Effects(subscriber, e);
                    var dead = ledger.DeadLetters(subscriber, e);
                    var cards = ledger.Alerts(subscriber, e);
                    deadLettered += dead;
                    alerts += cards;
                    if (effects > 1)
                    {
                        duplicates[subscriber.Downstream()] += effects - 1;
                        Violation($"{ledger.Describe(e)}: {subscriber.Downstream()} applied it {effects} times ({What(subscriber)}; duplicate side effect)");
                    }
                    if (cards != dead)
                    {
                        Violation(dead == 0
                            ? $"{ledger.Describe(e)}: {cards} Teams alert(s) from {subscriber.DeadLetterWorkflow()} without a dead letter"
                            : $"{ledger.Describe(e)}: dead-lettered by {subscriber.Workflow()} {Times(dead)} and alerted {Times(cards)} (one Teams card per dead letter)");
                    }
                    if (!wasAccepted)
                    {
                        if (effects + dead > 0) Violation($"{ledger.Describe(e)}: {subscriber.Workflow()} acted on an event the intake never accepted");
                        continue;
                    }
                    if (!Routed(subscriber, plan)) continue;
                    if (ledger.Supersessions(subscriber, e) > 0 && effects == 0)
                    {
                        // Completed as superseded and not applied: accounted for when the downstream shows the later event
                        // that superseded it (the order's cancellation). One applied as well is judged as applied: once,
                        // and before the cancellation (the business-order check reports it when it came after).
                        if (kind == EventKind.Cancelled || !plan.HasCancel || ledger.Effects(subscriber, new EventRef(order, EventKind.Cancelled)) == 0)
                            Violation($"{ledger.Describe(e)}: {subscriber.Workflow()} completed it as superseded, but {subscriber.Downstream()} shows no cancellation of the order");
                        continue;
                    }
                    var applied = ExpectsSideEffect(subscriber, plan) ? effects > 0 : ledger.Completions(subscriber, e) > 0 || effects > 0;
                    if (!applied && dead == 0)
                    {
                        eventLost = true;
                        Violation($"{ledger.Describe(e)}: lost for {subscriber.Workflow()}: neither {(ExpectsSideEffect(subscriber, plan) ? What(subscriber) : "completed")} nor dead-lettered");
                    }
                }
                if (eventLost) lost++;
            }
        }
        foreach (var violation in ledger.OrderViolations) Violation(violation);
        foreach (var leftover in ledger.Leftovers) Violation("left on the broker: " + leftover);
        foreach (var anomaly in ledger.Anomalies) Violation(anomaly);
        return new CheckResult(violations, count, accepted, lost, duplicates, deadLettered, alerts);
    }

    /// <summary>The subscription filters: the lifecycle subscribers take every event; SMS only with consent (smsOptIn = TRUE).</summary>
    public static bool Routed(Subscriber subscriber, OrderPlan plan) => subscriber != Subscriber.Sms || plan.RoutedToSms;

    /// <summary>Whether the downstream shows something when the subscriber processes the event: SAP, the warehouse and
    /// the lake always; Twilio only when the customer gave a phone number (no number, no SMS, nothing to see).</summary>
    public static bool ExpectsSideEffect(Subscriber subscriber, OrderPlan plan) => subscriber != Subscriber.Sms || plan.SmsExpected;

    private static string What(Subscriber subscriber) => subscriber switch
    {
        Subscriber.Sap => "SAP sales order operation",
        Subscriber.Sms => "SMS",
        Subscriber.Warehouse => "reservation change",
        _ => "lake file",
    };

    private static string Times(int n) => n == 1 ? "once" : $"{n} times";
}
