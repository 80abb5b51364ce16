using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Azurite;

namespace OrderEvents.CustomCode.Tests.Lake;

/// <summary>The storage functions as a workflow's InvokeFunction action sees them: bound by parameter name,
/// results in camelCase, bad input answered with a result, never an exception.</summary>
[TestClass]
public sealed class When_workflows_invoke_the_storage_functions_by_name_the_results_have_the_agreed_shape
{
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private FunctionCatalog catalog = null!;

    [TestInitialize]
    public void CreateCatalog() =>
        catalog = new FunctionCatalog(new OrderEventFunctions(new CustomCodeServices(new InMemoryObjectStore(), clock, new CustomCodeOptions())));

    [TestMethod]
    public async Task Begin_complete_and_a_duplicate_begin_round_trip_through_the_catalog()
    {
        var begin = await catalog.InvokeAsync("BeginIdempotency", JObject.Parse("{\"consumer\":\"sap-fulfillment\",\"key\":\"order-1-created-v1\",\"leaseSeconds\":60}"));
        var token = (string)begin["claimToken"]!;
        var complete = await catalog.InvokeAsync("CompleteIdempotency", new JObject { ["consumer"] = "sap-fulfillment", ["key"] = "order-1-created-v1", ["claimToken"] = token, ["result"] = new JObject { ["salesDocument"] = "42" } });
        var duplicate = await catalog.InvokeAsync("BeginIdempotency", JObject.Parse("{\"consumer\":\"sap-fulfillment\",\"key\":\"order-1-created-v1\"}"));

        Assert.AreEqual("Started", (string?)begin["state"]);
        Assert.AreEqual("2026-03-01T08:01:00.000Z", (string?)begin["leaseExpiresUtc"]);
        Assert.AreEqual("Completed", (string?)complete["state"]);
        Assert.IsTrue((bool)complete["completed"]!);
        Assert.AreEqual("AlreadyCompleted", (string?)duplicate["state"]);
        Assert.AreEqual("42", (string?)duplicate["result"]!["salesDocument"]);
        Assert.AreEqual(0, ((JArray)duplicate["errors"]!).Count);
    }

    [TestMethod]
    public async Task The_default_lease_is_five_minutes()
    {
        var begin = await catalog.InvokeAsync("BeginIdempotency", JObject.Parse("{\"consumer\":\"sms-notification\",\"key\":\"k\"}"));

        Assert.AreEqual("2026-03-01T08:05:00.000Z", (string?)begin["leaseExpiresUtc"]);
    }

    [TestMethod]
    public async Task Release_gives_the_claim_back()
    {
        var begin = await catalog.InvokeAsync("BeginIdempotency", JObject.Parse("{\"consumer\":\"sms-notification\",\"key\":\"k\"}"));

        var release = await catalog.InvokeAsync("ReleaseIdempotency", new JObject { ["consumer"] = "sms-notification", ["key"] = "k", ["claimToken"] = begin["claimToken"] });

        Assert.AreEqual("Released", (string?)release["state"]);
        Assert.IsTrue((bool)release["released"]!);
    }

    [TestMethod]
    public async Task Bad_input_comes_back_as_an_invalid_result_naming_the_problem()
    {
        var begin = await catalog.InvokeAsync("BeginIdempotency", JObject.Parse("{\"consumer\":\"SAP Fulfillment\",\"key\":null,\"leaseSeconds\":0}"));
        var lake = await catalog.InvokeAsync("WriteOrderToLake", JObject.Parse("{\"orderEvent\":\"not an object\"}"));

        Assert.AreEqual("Invalid", (string?)begin["state"]);
        CollectionAssert.AreEquivalent(new[] { "consumer", "key", "leaseSeconds" }, ((JArray)begin["errors"]!).Select(e => (string)e["path"]!).ToArray());
        Assert.IsFalse((bool)lake["isValid"]!);
        Assert.AreEqual("NotAnObject", (string?)lake["errors"]![0]!["code"]);
    }

    [TestMethod]
    public async Task Write_order_to_lake_and_archive_dead_letter_return_container_path_and_created()
    {
        var written = await catalog.InvokeAsync("WriteOrderToLake", new JObject { ["orderEvent"] = OrderLake_Specs.Event("m-1", "OrderCreated", "1.0", "2026-03-01T08:00:00Z") });
        var archived = await catalog.InvokeAsync("ArchiveDeadLetter", new JObject { ["subscriber"] = "sap-fulfillment", ["deadLetter"] = When_a_dead_letter_is_archived_it_is_filed_once_under_its_subscriber_and_day.DeadLetter("m-1", 5, "l", 1) });

        Assert.AreEqual("orders/OrderCreated/v1/year=2026/month=03/day=01/hour=08/m-1.json", (string?)written["path"]);
        Assert.IsTrue((bool)written["created"]!);
        Assert.AreEqual("orders-lake", (string?)written["container"]);
        Assert.AreEqual("deadletters/sap-fulfillment/year=2026/month=03/day=01/m-1.json", (string?)archived["path"]);
        Assert.IsTrue((bool)archived["created"]!);
    }

    [TestMethod]
    public async Task A_misconfigured_container_setting_is_reported_by_its_app_setting_name()
    {
        var misconfigured = new FunctionCatalog(new OrderEventFunctions(new CustomCodeServices(new InMemoryObjectStore(), clock, new CustomCodeOptions { LakeContainer = "Orders_Lake" })));

        var written = await misconfigured.InvokeAsync("WriteOrderToLake", new JObject { ["orderEvent"] = OrderLake_Specs.Event("m-1", "OrderCreated", "1.0", "2026-03-01T08:00:00Z") });

        Assert.AreEqual("Lake_Container", (string?)written["errors"]![0]!["path"]);
    }
}
