using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Intake;

/// <summary>
/// Audit trail: App Service authentication (Easy Auth) in front of the intake puts the caller's object id in
/// <c>X-MS-CLIENT-PRINCIPAL-ID</c> (and strips that header from what callers send). The intake checks it is a GUID and
/// publishes it as the application property <c>publishedBy</c>; the lake archive and the tracked properties keep it.
/// </summary>
[TestClass]
public sealed class When_an_authenticated_caller_publishes_the_event_records_who_published_it
{
    private const string PublisherObjectId = "0b6f3c5e-9d2a-4c1e-8f7b-3a2d1e0c9b8a";

    private static JObject Authenticated(string principal) => new() { ["Content-Type"] = "application/json", ["X-MS-CLIENT-PRINCIPAL-ID"] = principal };

    [TestMethod]
    public async Task The_message_carries_the_callers_object_id_as_publishedBy_and_the_run_tracks_it()
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCancelled.with-reason.json")), Authenticated(PublisherObjectId.ToUpperInvariant()));
        var run = await response.Run!.Completion;

        Assert.AreEqual(202, response.StatusCode);
        Assert.AreEqual(PublisherObjectId, scenario.Bus.Sent.Single()["userProperties"]!.Value<string>("publishedBy"));
        Assert.AreEqual(PublisherObjectId, run.Action("Publish_to_the_orders_topic").TrackedProperties!.Value<string>("publishedBy"));
        Assert.AreEqual("OrderCancelled", run.Action("Publish_to_the_orders_topic").TrackedProperties!.Value<string>("eventType"));
    }

    [TestMethod]
    public async Task Without_authentication_the_message_has_no_publishedBy()
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));

        Assert.AreEqual(202, response.StatusCode);
        Assert.IsNull(scenario.Bus.Sent.Single()["userProperties"]!["publishedBy"]);
    }

    [TestMethod]
    public async Task A_principal_header_that_is_not_a_GUID_is_refused_and_nothing_is_published()
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")), Authenticated("admin\u0000"));

        Assert.AreEqual(400, response.StatusCode);
        var error = response.Body!["errors"]!.Single();
        Assert.AreEqual("headers['X-MS-CLIENT-PRINCIPAL-ID']", error.Value<string>("path"));
        Assert.AreEqual("InvalidPrincipalId", error.Value<string>("code"));
        Assert.AreEqual(0, scenario.Bus.Sent.Count);
    }

    [TestMethod]
    public async Task The_lake_record_and_every_subscriber_run_keep_who_published_and_when()
    {
        using var scenario = new WorkflowScenario();
        await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCancelled.with-reason.json")), Authenticated(PublisherObjectId));
        var delivery = scenario.Bus.Deliver(scenario.Bus.Sent.Single());

        var run = await scenario.DeliverAsync("LakeArchive", delivery);

        var path = run.Action("Archive_the_order_event").Body()!["lake"]!.Value<string>("path")!;
        var stored = Newtonsoft.Json.JsonConvert.DeserializeObject<JObject>(System.Text.Encoding.UTF8.GetString((await scenario.Store.ReadAsync("orders-lake", path))!.Content.Span),
            new Newtonsoft.Json.JsonSerializerSettings { DateParseHandling = Newtonsoft.Json.DateParseHandling.None })!;
        Assert.AreEqual(PublisherObjectId, stored["audit"]!.Value<string>("publishedBy"));
        Assert.AreEqual(delivery.Value<string>("enqueuedTimeUtc"), stored["audit"]!.Value<string>("publishedUtc"));
        Assert.AreEqual("OrderCancelled", stored.Value<string>("eventType"));
        Assert.AreEqual(PublisherObjectId, run.Action("Archive_the_order_event").TrackedProperties!.Value<string>("publishedBy"));
        foreach (var subscriber in new[] { "SapFulfillment", "SmsNotification", "WarehouseInventory" })
        {
            var other = await scenario.DeliverAsync(subscriber, scenario.Bus.Deliver(scenario.Bus.Sent.Single()));
            Assert.AreEqual(PublisherObjectId, other.Action(LocalLogicApp.Reporting.SubscriberRuns.FirstSteps[subscriber]).TrackedProperties!.Value<string>("publishedBy"), subscriber);
        }
    }
}
