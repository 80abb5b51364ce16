using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.LakeArchive;

[TestClass]
public sealed class When_an_order_event_arrives_it_is_archived_in_its_partitioned_path
{
    [TestMethod]
    public async Task The_event_is_written_once_to_its_partitioned_path()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("LakeArchive", delivery);

        run.ShouldHaveSucceeded();
        var written = run.Action("Archive_the_order_event").Body()!["lake"]!;
        Assert.IsTrue(written.Value<bool>("created"));
        var objects = await scenario.Objects("orders-lake", "orders/");
        Assert.AreEqual(written.Value<string>("path"), objects.Single());
        StringAssert.StartsWith(objects.Single(), "orders/OrderCreated/v1/year=2025/");
        var stored = await scenario.Store.ReadAsync("orders-lake", objects.Single());
        Assert.AreEqual("order-100482-created-v1", JObject.Parse(System.Text.Encoding.UTF8.GetString(stored!.Content.Span)).Value<string>("messageId"));
    }
}
