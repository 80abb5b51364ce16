using OrderEvents.CustomCode.Idempotency;
using OrderEvents.CustomCode.Storage;
using Simulation.Checking;
using Simulation.Faults;
using Simulation.Generation;
using Simulation.Observation;

namespace Simulation.Tests.Observation;

/// <summary>
/// What the watch reads at the end of a day. An SMS event without a phone number leaves no trace at Twilio: the SMS
/// subscriber's completed idempotency record is what says it was finished, when the run that finished it was never
/// reported (a host killed between completing the message and telling the simulation; found with --crash-process).
/// </summary>
[TestClass]
public sealed class DownstreamWatch_Specs
{
    private const string Container = "idempotency";
    private static readonly OrderDay Day = new(40, seed: 7, FaultProfile.Clean);

    [TestMethod]
    public async Task A_completed_SMS_claim_accounts_for_an_SMS_event_without_a_phone_number()
    {
        var (ledger, e) = AcceptedSmsEventWithoutPhone();
        var store = new InMemoryObjectStore();
        var claims = new IdempotencyStore(store, TimeProvider.System, Container);
        var begun = await claims.BeginAsync(Subscriber.Sms.Id(), Day.MessageId(e), TimeSpan.FromMinutes(15));
        await claims.CompleteAsync(Subscriber.Sms.Id(), Day.MessageId(e), begun.ClaimToken!, null);
        Assert.IsTrue(SmsLost(ledger), "without the claims read, nothing tells the checker");

        await new DownstreamWatch(Day, ledger).ReadSmsClaimsAsync(store, Container, CancellationToken.None);

        Assert.IsFalse(SmsLost(ledger), string.Join("\n", InvariantChecker.Check(ledger).Violations));
    }

    [TestMethod]
    public async Task A_claim_still_in_progress_accounts_for_nothing()
    {
        var (ledger, e) = AcceptedSmsEventWithoutPhone();
        var store = new InMemoryObjectStore();
        var claims = new IdempotencyStore(store, TimeProvider.System, Container);
        await claims.BeginAsync(Subscriber.Sms.Id(), Day.MessageId(e), TimeSpan.FromMinutes(15));

        await new DownstreamWatch(Day, ledger).ReadSmsClaimsAsync(store, Container, CancellationToken.None);

        Assert.IsTrue(SmsLost(ledger));
    }

    private static (DayLedger Ledger, EventRef Event) AcceptedSmsEventWithoutPhone()
    {
        var order = Enumerable.Range(0, Day.Orders).First(o => Day.Plan(o).RoutedToSms && !Day.Plan(o).SmsExpected);
        var e = new EventRef(order, EventKind.Created);
        var ledger = new DayLedger(Day);
        ledger.Accepted(e);
        return (ledger, e);
    }

    private static bool SmsLost(DayLedger ledger) =>
        InvariantChecker.Check(ledger).Violations.Any(v => v.Contains("lost for SmsNotification", StringComparison.Ordinal));
}
