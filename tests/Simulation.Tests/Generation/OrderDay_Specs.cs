using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using Simulation.Faults;
using Simulation.Generation;

namespace Simulation.Tests.Generation;

/// <summary>The generator: the same seed gives the same day, every event honours the contract, and the day has the
/// variety a peak day has (currencies, line counts, Unicode names, phones with and without consent, claim checks).</summary>
[TestClass]
public sealed class OrderDay_Specs
{
    private static readonly OrderDay Day = new(3_000, seed: 1, FaultProfile.Faults);

    [TestMethod]
    public void The_same_seed_gives_the_same_events_in_the_same_order_and_another_seed_another_day()
    {
        var again = new OrderDay(3_000, seed: 1, FaultProfile.Faults);
        var other = new OrderDay(3_000, seed: 2, FaultProfile.Faults);

        CollectionAssert.AreEqual(Day.PublishingOrder(), again.PublishingOrder());
        foreach (var order in new[] { 0, 17, 2_999 })
        {
            Assert.AreEqual(Day.Plan(order).EventText(EventKind.Created), again.Plan(order).EventText(EventKind.Created));
        }
        Assert.AreNotEqual(Day.Plan(17).EventText(EventKind.Created), other.Plan(17).EventText(EventKind.Created).Replace("S2-", "S1-").Replace("s2-", "s1-").Replace("sim-2-", "sim-1-"));
    }

    [TestMethod]
    public void Every_event_of_the_day_satisfies_the_order_event_contract()
    {
        var problems = new List<string>();
        for (var order = 0; order < Day.Orders; order++)
        {
            var plan = Day.Plan(order);
            foreach (var kind in plan.Kinds())
            {
                var validation = OrderEventValidator.Validate(plan.Event(kind));
                if (!validation.IsValid) problems.Add($"{Day.MessageId(new EventRef(order, kind))}: {string.Join("; ", validation.Errors.Take(3).Select(e => $"{e.Path} {e.Code}"))}");
            }
        }

        Assert.IsEmpty(problems, string.Join("\n", problems.Take(10)));
    }

    [TestMethod]
    public void A_day_has_updates_cancellations_consent_variety_claim_checks_and_long_orders()
    {
        var plans = Enumerable.Range(0, Day.Orders).Select(Day.Plan).ToList();
        var created = plans.Select(p => p.Event(EventKind.Created)).ToList();
        var lineCounts = created.Select(e => ((JArray)e["data"]!["lines"]!).Count).ToList();
        var currencies = created.Select(e => e["data"]!.Value<string>("currency")).Distinct().Count();

        Assert.IsTrue(plans.Count(p => p.HasUpdate) is > 600 and < 1200, "about 30 % of orders are updated");
        Assert.IsTrue(plans.Count(p => p.HasCancel) is > 150 and < 450, "about 10 % are cancelled");
        Assert.IsTrue(plans.Any(p => p.SmsOptIn && p.HasPhone) && plans.Any(p => p.SmsOptIn && !p.HasPhone) && plans.Any(p => !p.SmsOptIn && p.HasPhone));
        Assert.IsTrue(plans.Any(p => p.PreClaimChecked), "some orders arrive claim-checked");
        Assert.IsGreaterThanOrEqualTo(5, currencies);
        Assert.AreEqual(1, lineCounts.Min());
        Assert.IsGreaterThan(50, lineCounts.Max());
        Assert.IsTrue(lineCounts.All(n => n <= 1000));
        Assert.IsTrue(created.Any(e => e["data"]!["customer"]!.Value<string>("name")!.Any(c => c > 127)), "Unicode names");
        var large = new OrderDay(2_000, seed: 5, FaultProfile.Clean);
        var largeOrder = Enumerable.Range(0, large.Orders).Select(large.Plan).First(p => p.Large);
        Assert.IsGreaterThan(192 * 1024, System.Text.Encoding.UTF8.GetByteCount(largeOrder.EventText(EventKind.Created)), "a large order is above the intake's claim-check threshold");
    }

    [TestMethod]
    public void Updates_change_the_total_and_keep_the_articles_and_a_cancellation_follows_in_business_time()
    {
        var plan = Enumerable.Range(0, Day.Orders).Select(Day.Plan).First(p => p.HasUpdate && p.HasCancel && !p.OutOfOrder);
        var created = plan.Event(EventKind.Created)["data"]!;
        var updated = plan.Event(EventKind.Updated)["data"]!;

        Assert.AreNotEqual((decimal)created["amount"]!, (decimal)updated["amount"]!);
        CollectionAssert.AreEqual(created["lines"]!.Select(l => l.Value<string>("sku")).ToArray(), updated["lines"]!.Select(l => l.Value<string>("sku")).ToArray());
        Assert.IsTrue(plan.OccurredUtc(EventKind.Created) < plan.OccurredUtc(EventKind.Updated));
        Assert.IsTrue(plan.OccurredUtc(EventKind.Updated) < plan.OccurredUtc(EventKind.Cancelled));
    }

    [TestMethod]
    public void Events_are_published_in_business_order_except_the_orders_the_profile_puts_out_of_order()
    {
        var position = Day.PublishingOrder().Select((e, i) => (e, i)).ToDictionary(x => x.e, x => x.i);
        var outOfOrder = 0;
        for (var order = 0; order < Day.Orders; order++)
        {
            var plan = Day.Plan(order);
            var kinds = plan.Kinds().ToList();
            var published = kinds.OrderBy(k => position[new EventRef(order, k)]).ToList();
            if (plan.OutOfOrder)
            {
                outOfOrder++;
                Assert.AreEqual(kinds[^1], published[^2], $"order {order}: its last event overtakes the one before");
            }
            else
            {
                CollectionAssert.AreEqual(kinds, published, $"order {order}");
            }
        }
        Assert.IsGreaterThan(0, outOfOrder);
    }

    [TestMethod]
    public void Ids_lead_back_to_the_event()
    {
        var e = new EventRef(1234, EventKind.Cancelled);

        Assert.IsTrue(EventIds.TryParseMessageId(Day.Seed, Day.MessageId(e), out var fromMessage));
        Assert.IsTrue(EventIds.TryParseCorrelationId(Day.Seed, Day.CorrelationId(e), out var fromCorrelation));
        Assert.IsTrue(EventIds.TryParseOrderId(Day.Seed, Day.OrderId(e.Order), out var order));
        Assert.AreEqual(e, fromMessage);
        Assert.AreEqual(e, fromCorrelation);
        Assert.AreEqual(1234, order);
        Assert.IsFalse(EventIds.TryParseMessageId(Day.Seed + 1, Day.MessageId(e), out _), "another day's ids are not this day's");
    }
}
