using OrderEvents.CustomCode.Idempotency;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Azurite;

namespace OrderEvents.CustomCode.Tests.Idempotency;

[TestClass]
public sealed class When_idempotency_input_is_invalid_it_is_reported_and_nothing_is_claimed
{
    private readonly IdempotencyStore idempotency = new(new InMemoryObjectStore(), new ManualClock(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)), "idempotency");

    [TestMethod]
    [DataRow("SAP", "InvalidConsumer")]
    [DataRow("", "InvalidConsumer")]
    [DataRow("sap/fulfillment", "InvalidConsumer")]
    [DataRow("-sap", "InvalidConsumer")]
    public async Task An_invalid_consumer_is_reported_and_nothing_is_claimed(string consumer, string code)
    {
        var outcome = await idempotency.BeginAsync(consumer, "order-1", TimeSpan.FromMinutes(5));

        Assert.AreEqual(ClaimState.Invalid, outcome.State);
        Assert.AreEqual(code, outcome.Problems.Single().Code);
        Assert.AreEqual("consumer", outcome.Problems.Single().Path);
        Assert.IsNull(outcome.ClaimToken);
    }

    [TestMethod]
    public async Task An_empty_too_long_or_control_character_key_is_reported_by_its_rule()
    {
        Assert.AreEqual("MissingKey", (await idempotency.BeginAsync("sap-fulfillment", "", TimeSpan.FromMinutes(1))).Problems.Single().Code);
        Assert.AreEqual("KeyTooLong", (await idempotency.BeginAsync("sap-fulfillment", new string('k', 513), TimeSpan.FromMinutes(1))).Problems.Single().Code);
        Assert.AreEqual("InvalidKey", (await idempotency.BeginAsync("sap-fulfillment", "a\nb", TimeSpan.FromMinutes(1))).Problems.Single().Code);
    }

    [TestMethod]
    public async Task A_lease_outside_one_second_to_one_day_is_reported()
    {
        var zero = await idempotency.BeginAsync("sap-fulfillment", "k", TimeSpan.Zero);
        var tooLong = await idempotency.BeginAsync("sap-fulfillment", "k", TimeSpan.FromDays(2));

        Assert.AreEqual("LeaseOutOfRange", zero.Problems.Single().Code);
        Assert.AreEqual("leaseSeconds", tooLong.Problems.Single().Path);
    }

    [TestMethod]
    public async Task Completing_or_releasing_without_a_claim_token_is_reported()
    {
        var complete = await idempotency.CompleteAsync("sap-fulfillment", "k", "", null);
        var release = await idempotency.ReleaseAsync("sap-fulfillment", "k", " ");

        Assert.AreEqual(CompleteState.Invalid, complete.State);
        Assert.AreEqual("MissingClaimToken", complete.Problems.Single().Code);
        Assert.AreEqual(ReleaseState.Invalid, release.State);
    }

    [TestMethod]
    public async Task A_result_larger_than_the_record_limit_is_reported_and_the_claim_stays_open()
    {
        var claim = await idempotency.BeginAsync("sap-fulfillment", "big", TimeSpan.FromMinutes(5));

        var outcome = await idempotency.CompleteAsync("sap-fulfillment", "big", claim.ClaimToken!, new Newtonsoft.Json.Linq.JValue(new string('x', IdempotencyStore.MaxResultBytes)));

        Assert.AreEqual("ResultTooLarge", outcome.Problems.Single().Code);
        Assert.AreEqual(CompleteState.Completed, (await idempotency.CompleteAsync("sap-fulfillment", "big", claim.ClaimToken!, null)).State);
    }

    [TestMethod]
    public async Task The_result_limit_counts_the_UTF8_bytes_of_the_results_compact_JSON()
    {
        // {"text":"..."}: 11 bytes around the text; each "é" is 2 bytes, each "😀" (a surrogate pair) 4, a quote escaped 2.
        const string around = "\"é😀";
        var fill = IdempotencyStore.MaxResultBytes - 11 - (2 + 2 + 4);
        var atLimit = new Newtonsoft.Json.Linq.JObject { ["text"] = new string('x', fill) + around };
        var overLimit = new Newtonsoft.Json.Linq.JObject { ["text"] = new string('x', fill + 1) + around };
        Assert.AreEqual(IdempotencyStore.MaxResultBytes, System.Text.Encoding.UTF8.GetByteCount(atLimit.ToString(Newtonsoft.Json.Formatting.None)));
        var first = await idempotency.BeginAsync("sap-fulfillment", "at-limit", TimeSpan.FromMinutes(5));
        var second = await idempotency.BeginAsync("sap-fulfillment", "over-limit", TimeSpan.FromMinutes(5));

        var kept = await idempotency.CompleteAsync("sap-fulfillment", "at-limit", first.ClaimToken!, atLimit);
        var refused = await idempotency.CompleteAsync("sap-fulfillment", "over-limit", second.ClaimToken!, overLimit);

        Assert.AreEqual(CompleteState.Completed, kept.State);
        Assert.AreEqual("ResultTooLarge", refused.Problems.Single().Code);
        StringAssert.Contains(refused.Problems.Single().Message, $"{IdempotencyStore.MaxResultBytes + 1} bytes");
        var again = await idempotency.BeginAsync("sap-fulfillment", "at-limit", TimeSpan.FromMinutes(5));
        Assert.IsTrue(Newtonsoft.Json.Linq.JToken.DeepEquals(atLimit, again.Result));
    }

    [TestMethod]
    public async Task A_corrupt_record_is_reported_and_left_for_an_operator_instead_of_being_overwritten()
    {
        var store = new InMemoryObjectStore();
        var withCorruptRecord = new IdempotencyStore(store, new ManualClock(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)), "idempotency");
        await store.TryCreateAsync("idempotency", IdempotencyStore.RecordName("sap-fulfillment", "k"), "not json"u8.ToArray(), "application/json");

        var outcome = await withCorruptRecord.BeginAsync("sap-fulfillment", "k", TimeSpan.FromMinutes(5));

        Assert.AreEqual(ClaimState.Invalid, outcome.State);
        Assert.AreEqual("CorruptRecord", outcome.Problems.Single().Code);
        Assert.AreEqual("not json", System.Text.Encoding.UTF8.GetString((await store.ReadAsync("idempotency", IdempotencyStore.RecordName("sap-fulfillment", "k")))!.Content.Span));
    }
}
