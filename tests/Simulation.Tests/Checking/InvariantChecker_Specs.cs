using Simulation.Checking;
using Simulation.Faults;
using Simulation.Generation;

namespace Simulation.Tests.Checking;

/// <summary>
/// The invariant checker is tested by planting defects in an otherwise perfect day: every kind of violation (a second
/// SAP order, a missing alert, a lost event, events applied out of order, a message left on the broker) must be reported
/// with its order, and a perfect day reports none.
/// </summary>
[TestClass]
public sealed class InvariantChecker_Specs
{
    private static readonly OrderDay Day = new(40, seed: 7, FaultProfile.Clean);

    [TestMethod]
    public void A_day_where_every_event_was_applied_once_everywhere_it_is_routed_holds_every_invariant()
    {
        var ledger = PerfectDay();

        var result = InvariantChecker.Check(ledger);

        Assert.IsTrue(result.InvariantsHeld, string.Join("\n", result.Violations));
        Assert.AreEqual(0, result.Lost);
        Assert.AreEqual(Events().Count(), result.Accepted);
        Assert.IsTrue(result.DuplicateSideEffects.Values.All(n => n == 0));
    }

    [TestMethod]
    public void A_second_SAP_order_for_one_event_is_reported_as_a_duplicate_side_effect_with_its_order()
    {
        var ledger = PerfectDay();
        var created = new EventRef(3, EventKind.Created);
        ledger.Effect(Subscriber.Sap, created);

        var result = InvariantChecker.Check(ledger);

        Assert.IsFalse(result.InvariantsHeld);
        Assert.AreEqual(1, result.DuplicateSideEffects["sap"]);
        var violation = result.Violations.Single();
        StringAssert.Contains(violation, Day.OrderId(3));
        StringAssert.Contains(violation, "OrderCreated");
        StringAssert.Contains(violation, "applied it 2 times");
    }

    [TestMethod]
    public void A_second_SMS_reservation_change_or_lake_file_is_reported_per_downstream()
    {
        var ledger = PerfectDay();
        var withSms = Enumerable.Range(0, Day.Orders).First(o => Day.Plan(o).SmsExpected);
        ledger.Effect(Subscriber.Sms, new EventRef(withSms, EventKind.Created));
        ledger.Effect(Subscriber.Warehouse, new EventRef(5, EventKind.Created));
        ledger.Effect(Subscriber.Lake, new EventRef(6, EventKind.Created));

        var result = InvariantChecker.Check(ledger);

        Assert.AreEqual(1, result.DuplicateSideEffects["twilio"]);
        Assert.AreEqual(1, result.DuplicateSideEffects["warehouse"]);
        Assert.AreEqual(1, result.DuplicateSideEffects["lake"]);
        Assert.AreEqual(3, result.ViolationCount);
    }

    [TestMethod]
    public void A_dead_letter_without_its_Teams_alert_is_reported()
    {
        var ledger = PerfectDay(except: (Subscriber.Sap, new EventRef(9, EventKind.Created)));
        ledger.DeadLettered(Subscriber.Sap, new EventRef(9, EventKind.Created), "DownstreamRejected");

        var result = InvariantChecker.Check(ledger);

        var violation = result.Violations.Single();
        StringAssert.Contains(violation, Day.OrderId(9));
        StringAssert.Contains(violation, "dead-lettered by SapFulfillment once and alerted 0 times");
        Assert.AreEqual(1, result.DeadLettered);
        Assert.AreEqual(0, result.Alerts);
    }

    [TestMethod]
    public void A_dead_letter_alerted_once_accounts_for_the_event_and_two_cards_do_not()
    {
        var dead = new EventRef(11, EventKind.Created);
        var alertedOnce = PerfectDay(except: (Subscriber.Warehouse, dead));
        alertedOnce.DeadLettered(Subscriber.Warehouse, dead, "DownstreamRejected");
        alertedOnce.Alerted(Subscriber.Warehouse, dead);
        var alertedTwice = PerfectDay(except: (Subscriber.Warehouse, dead));
        alertedTwice.DeadLettered(Subscriber.Warehouse, dead, "DownstreamRejected");
        alertedTwice.Alerted(Subscriber.Warehouse, dead);
        alertedTwice.Alerted(Subscriber.Warehouse, dead);

        var once = InvariantChecker.Check(alertedOnce);
        var twice = InvariantChecker.Check(alertedTwice);

        Assert.IsTrue(once.InvariantsHeld, string.Join("\n", once.Violations));
        Assert.AreEqual(1, once.DeadLettered);
        StringAssert.Contains(twice.Violations.Single(), "alerted 2 times");
    }

    [TestMethod]
    public void An_accepted_event_a_subscriber_never_applied_nor_dead_lettered_is_lost()
    {
        var lostEvent = new EventRef(14, EventKind.Created);
        var ledger = PerfectDay(except: (Subscriber.Lake, lostEvent));

        var result = InvariantChecker.Check(ledger);

        Assert.AreEqual(1, result.Lost);
        var violation = result.Violations.Single();
        StringAssert.Contains(violation, Day.OrderId(14));
        StringAssert.Contains(violation, "lost for LakeArchive");
    }

    [TestMethod]
    public void Without_a_phone_an_SMS_subscriber_accounts_for_the_event_by_completing_it()
    {
        var noPhone = Enumerable.Range(0, Day.Orders).Select(Day.Plan).First(p => p.RoutedToSms && !p.SmsExpected);
        var e = new EventRef(noPhone.Order, EventKind.Created);
        var completed = PerfectDay();
        var neverSettled = PerfectDay(except: (Subscriber.Sms, e));

        Assert.IsTrue(InvariantChecker.Check(completed).InvariantsHeld);
        StringAssert.Contains(InvariantChecker.Check(neverSettled).Violations.Single(), "neither completed nor dead-lettered");
    }

    [TestMethod]
    public void Events_a_session_subscriber_applied_out_of_business_order_are_reported()
    {
        // SAP changed the order before it created it.
        var (ledger, order) = DayWithSapOrderReplaced(p => p.HasUpdate, (l, o) =>
        {
            l.Effect(Subscriber.Sap, new EventRef(o, EventKind.Updated));
            l.Effect(Subscriber.Sap, new EventRef(o, EventKind.Created));
        });

        var result = InvariantChecker.Check(ledger);

        var violation = result.Violations.Single();
        StringAssert.Contains(violation, Day.OrderId(order));
        StringAssert.Contains(violation, "OrderCreated");
        StringAssert.Contains(violation, "applied it after the order's Updated");
    }

    [TestMethod]
    public void An_update_completed_as_superseded_is_accounted_for_when_SAP_shows_the_cancellation()
    {
        var (ledger, order) = DayWithSapOrderReplaced(p => p.HasUpdate && p.HasCancel, (l, o) =>
        {
            l.Effect(Subscriber.Sap, new EventRef(o, EventKind.Created));
            l.Effect(Subscriber.Sap, new EventRef(o, EventKind.Cancelled));
            l.Completed(Subscriber.Sap, new EventRef(o, EventKind.Updated));
            l.Superseded(Subscriber.Sap, new EventRef(o, EventKind.Updated));
        });

        var result = InvariantChecker.Check(ledger);

        Assert.IsTrue(result.InvariantsHeld, string.Join("\n", result.Violations));
        Assert.AreEqual(0, result.Lost);
        Assert.AreEqual(0, result.DuplicateSideEffects["sap"]);
        Assert.IsTrue(Day.Plan(order).HasCancel);
    }

    [TestMethod]
    public void An_update_completed_as_superseded_while_SAP_shows_no_cancellation_is_reported()
    {
        var (ledger, order) = DayWithSapOrderReplaced(p => p.HasUpdate && p.HasCancel, (l, o) =>
        {
            var cancelled = new EventRef(o, EventKind.Cancelled);
            l.Effect(Subscriber.Sap, new EventRef(o, EventKind.Created));
            l.DeadLettered(Subscriber.Sap, cancelled, "DownstreamRejected");
            l.Alerted(Subscriber.Sap, cancelled);
            l.Completed(Subscriber.Sap, new EventRef(o, EventKind.Updated));
            l.Superseded(Subscriber.Sap, new EventRef(o, EventKind.Updated));
        });

        var result = InvariantChecker.Check(ledger);

        var violation = result.Violations.Single();
        StringAssert.Contains(violation, Day.OrderId(order));
        StringAssert.Contains(violation, "OrderUpdated");
        StringAssert.Contains(violation, "completed it as superseded, but sap shows no cancellation");
    }

    [TestMethod]
    public void An_update_completed_as_superseded_that_SAP_applied_after_the_cancellation_is_still_reported()
    {
        var (ledger, order) = DayWithSapOrderReplaced(p => p.HasUpdate && p.HasCancel, (l, o) =>
        {
            var updated = new EventRef(o, EventKind.Updated);
            l.Effect(Subscriber.Sap, new EventRef(o, EventKind.Created));
            l.Effect(Subscriber.Sap, new EventRef(o, EventKind.Cancelled));
            l.Effect(Subscriber.Sap, updated);
            l.Completed(Subscriber.Sap, updated);
            l.Superseded(Subscriber.Sap, updated);
        });

        var result = InvariantChecker.Check(ledger);

        Assert.IsFalse(result.InvariantsHeld);
        var violation = result.Violations.Single();
        StringAssert.Contains(violation, Day.OrderId(order));
        StringAssert.Contains(violation, "OrderUpdated");
        StringAssert.Contains(violation, "applied it after the order's Cancelled");
    }

    /// <summary>A perfect day, except that what SAP did with the first order matching <paramref name="which"/> is written
    /// by <paramref name="sap"/>.</summary>
    private static (DayLedger Ledger, int Order) DayWithSapOrderReplaced(Func<OrderPlan, bool> which, Action<DayLedger, int> sap)
    {
        var order = Enumerable.Range(0, Day.Orders).First(o => which(Day.Plan(o)));
        var ledger = new DayLedger(Day);
        foreach (var e in Events())
        {
            ledger.Accepted(e);
            foreach (var subscriber in Subscribers.All)
            {
                if (subscriber == Subscriber.Sap && e.Order == order) continue;
                Apply(ledger, subscriber, e);
            }
        }
        sap(ledger, order);
        return (ledger, order);
    }

    [TestMethod]
    public void A_message_left_on_the_broker_and_an_effect_nobody_published_are_reported()
    {
        var ledger = PerfectDay();
        ledger.LeftOnBroker("orders/Subscriptions/sap-fulfillment: 1 active or locked");
        var never = Enumerable.Range(0, Day.Orders).First(o => !Day.Plan(o).HasCancel);
        ledger.Effect(Subscriber.Warehouse, new EventRef(never, EventKind.Cancelled));

        var result = InvariantChecker.Check(ledger);

        Assert.AreEqual(2, result.ViolationCount);
        Assert.IsTrue(result.Violations.Any(v => v.Contains("left on the broker: orders/Subscriptions/sap-fulfillment", StringComparison.Ordinal)));
        Assert.IsTrue(result.Violations.Any(v => v.Contains(Day.OrderId(never), StringComparison.Ordinal) && v.Contains("never published", StringComparison.Ordinal)));
    }

    /// <summary>Every event accepted and applied once by every subscriber it is routed to, in business order.</summary>
    private static DayLedger PerfectDay((Subscriber Subscriber, EventRef Event)? except = null)
    {
        var ledger = new DayLedger(Day);
        foreach (var e in Events())
        {
            ledger.Accepted(e);
            foreach (var subscriber in Subscribers.All)
            {
                if (except is { } skip && skip.Subscriber == subscriber && skip.Event == e) continue;
                Apply(ledger, subscriber, e);
            }
        }
        return ledger;
    }

    private static void Apply(DayLedger ledger, Subscriber subscriber, EventRef e)
    {
        var plan = Day.Plan(e.Order);
        if (!InvariantChecker.Routed(subscriber, plan)) return;
        if (InvariantChecker.ExpectsSideEffect(subscriber, plan)) ledger.Effect(subscriber, e);
        ledger.Completed(subscriber, e);
    }

    private static IEnumerable<EventRef> Events() =>
        Enumerable.Range(0, Day.Orders).SelectMany(o => Day.Plan(o).Kinds().Select(k => new EventRef(o, k)));
}
