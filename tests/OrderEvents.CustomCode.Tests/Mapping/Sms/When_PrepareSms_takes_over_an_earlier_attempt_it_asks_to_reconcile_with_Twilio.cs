using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Mapping.Sap;
using TestSupport;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

/// <summary>PrepareSms says <c>reconcile</c> (and when the earlier attempt began) only when its claim took over one that
/// an earlier attempt never closed, or is the run's own from before an outage; a first delivery sends as before.</summary>
[TestClass]
public sealed class When_PrepareSms_takes_over_an_earlier_attempt_it_asks_to_reconcile_with_Twilio
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 15, 0, TimeSpan.Zero);
    private readonly ManualClock clock = new(Start);
    private readonly CountingObjectStore storage = new(new InMemoryObjectStore());
    private FunctionCatalog catalog = null!;

    [TestInitialize]
    public void CreateCatalog() =>
        catalog = new FunctionCatalog(new OrderEventFunctions(new CustomCodeServices(storage, clock, new CustomCodeOptions())));

    [TestMethod]
    public async Task A_first_delivery_sends_without_reconciling_for_one_storage_transaction()
    {
        var prepared = await Prepare("run-1");

        Assert.IsTrue(prepared.Value<bool>("proceed"));
        Assert.IsFalse(prepared.Value<bool>("reconcile"));
        Assert.IsNull(prepared.Value<string>("earlierAttemptStartedUtc"));
        Assert.AreEqual(1, storage.Total.Transactions, "the claim's conditional create");
    }

    [TestMethod]
    public async Task A_claim_taken_over_after_the_lease_asks_to_reconcile_since_the_first_attempt_began()
    {
        await Prepare("run-1");
        clock.Advance(TimeSpan.FromSeconds(300 + 1));

        var prepared = await Prepare("run-2");

        Assert.IsTrue(prepared.Value<bool>("proceed"));
        Assert.IsTrue(prepared.Value<bool>("reconcile"));
        Assert.AreEqual("2026-03-02T08:15:00.000Z", prepared.Value<string>("earlierAttemptStartedUtc"));
    }

    [TestMethod]
    public async Task A_run_that_gets_its_own_claim_back_after_an_outage_reconciles_too()
    {
        await Prepare("run-1");
        clock.Advance(TimeSpan.FromSeconds(30));

        var again = await Prepare("run-1");

        Assert.AreEqual("Started", again["delivery"]!.Value<string>("claim"));
        Assert.IsTrue(again.Value<bool>("reconcile"), "resumed from a checkpoint before this step, the run may have sent already");
        Assert.AreEqual("2026-03-02T08:15:00.000Z", again.Value<string>("earlierAttemptStartedUtc"));
    }

    private async Task<JToken> Prepare(string owner) =>
        await catalog.InvokeAsync("PrepareSms", new JObject
        {
            ["message"] = SapFulfillmentSteps.Message(OrderEventSamples.Event()),
            ["consumer"] = "sms-notification",
            ["leaseSeconds"] = 300,
            ["owner"] = owner,
        });
}
