using Simulation.Checking;
using Simulation.Faults;
using Simulation.Generation;
using Simulation.Observation;
using Workflows.Runtime;

namespace Simulation.Tests.Observation;

/// <summary>
/// The day's figures as runs report them. The publisher's window waits on <see cref="DayMetrics.EventDone"/>: an accepted
/// event is done once, when the last subscriber it is routed to settles it for good, whatever the order of the reports
/// and however many times a subscriber reports it.
/// </summary>
[TestClass]
public sealed class DayMetrics_Specs
{
    private static readonly OrderDay Day = new(40, seed: 7, FaultProfile.Clean);

    [TestMethod]
    public void An_event_is_done_once_when_its_last_routed_subscriber_settles_it()
    {
        var order = Enumerable.Range(0, Day.Orders).First(o => Day.Plan(o).RoutedToSms);
        var e = new EventRef(order, EventKind.Created);
        var metrics = new DayMetrics(Day, new DayLedger(Day));
        var done = 0;
        metrics.EventDone += () => done++;
        metrics.Accepted(e, DateTimeOffset.UnixEpoch);

        foreach (var subscriber in new[] { Subscriber.Lake, Subscriber.Sap, Subscriber.Lake, Subscriber.Warehouse })
        {
            metrics.Observe(Settled(subscriber, e, "complete"));
        }
        Assert.AreEqual(0, done, "SMS has not settled it yet");
        Assert.AreEqual(0L, metrics.DoneEvents);

        metrics.Observe(Settled(Subscriber.Sms, e, "deadLetter"));
        metrics.Observe(Settled(Subscriber.Sms, e, "complete"));

        Assert.AreEqual(1, done);
        Assert.AreEqual(1L, metrics.DoneEvents);
    }

    [TestMethod]
    public void An_event_not_routed_to_SMS_is_done_without_it_and_an_abandon_settles_nothing()
    {
        var order = Enumerable.Range(0, Day.Orders).First(o => !Day.Plan(o).RoutedToSms);
        var e = new EventRef(order, EventKind.Created);
        var metrics = new DayMetrics(Day, new DayLedger(Day));
        var done = 0;
        metrics.EventDone += () => done++;
        metrics.Accepted(e, DateTimeOffset.UnixEpoch);

        metrics.Observe(Settled(Subscriber.Sap, e, "complete"));
        metrics.Observe(Settled(Subscriber.Warehouse, e, "abandon"));
        metrics.Observe(Settled(Subscriber.Lake, e, "complete"));
        Assert.AreEqual(0, done, "an abandoned message comes back");

        metrics.Observe(Settled(Subscriber.Warehouse, e, "complete"));
        Assert.AreEqual(1, done);
    }

    private static RunObservation Settled(Subscriber subscriber, EventRef e, string settlement) =>
        new(subscriber.Workflow(), EventIds.CorrelationId(Day.Seed, e), WorkflowStatus.Succeeded, 5, 0,
            new Decision("Succeeded", settlement, 1, DateTimeOffset.UnixEpoch.UtcTicks + 1), Settled: true, AlertPosted: false, 0);
}
