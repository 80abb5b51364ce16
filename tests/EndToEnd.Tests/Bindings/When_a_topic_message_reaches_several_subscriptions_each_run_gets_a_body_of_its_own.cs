using LocalLogicApp.Bindings.ServiceBus;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;

namespace EndToEnd.Tests.Bindings;

/// <summary>
/// A topic message reaches each subscription with the same body. Each trigger item must hold the body as sent, in tokens of
/// its own, whatever the holder of another receipt's item does to its value: sharing or caching a parsed body between
/// receipts (docs/runtime/local-app.md, "Design: a message body per subscriber") must keep this.
/// </summary>
[TestClass]
public sealed class When_a_topic_message_reaches_several_subscriptions_each_run_gets_a_body_of_its_own
{
    private const string Body = """{"messageId":"fan-out-1","eventType":"OrderCreated","data":{"orderId":"o-7","amount":12.50,"lines":[{"sku":"A","quantity":2}],"note":null,"when":"2026-12-05T10:00:00Z"}}""";

    private static readonly string[] Subscriptions = ["sap", "sms", "warehouse", "lake"];

    [TestMethod]
    public async Task Each_receipt_holds_the_body_as_sent_and_a_change_to_one_copy_reaches_no_other()
    {
        var topology = new Topology();
        var topic = topology.AddTopic("orders");
        foreach (var name in Subscriptions) topic.AddSubscription(name);
        using var bus = LocalServiceBus.Create(topology);
        await bus.SendAsync("orders", [new ServiceBusMessage(Body) { ContentType = ConnectorMessages.JsonContentType, MessageId = "fan-out-1" }]);

        var items = new List<JObject>();
        foreach (var name in Subscriptions)
        {
            await using var receiver = bus.CreateReceiver(EntityPath.FormatSubscriptionPath("orders", name));
            var received = await receiver.ReceiveAsync(1, TimeSpan.Zero);
            items.Add(ConnectorMessages.ToConnectorMessage(received.Single()));
            // A later receipt's holder changes its value in place.
            if (items.Count > 1) ((JObject)items[^1]["contentData"]!)["data"]!["orderId"] = "changed by subscriber " + name;
        }

        var asSent = JsonConvert.DeserializeObject<JObject>(Body, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None });
        Assert.IsTrue(JToken.DeepEquals(asSent, items[0]["contentData"]), $"the first receipt: {items[0]["contentData"]}");
        for (var i = 1; i < items.Count; i++)
        {
            Assert.AreEqual("changed by subscriber " + Subscriptions[i], (string?)items[i]["contentData"]!["data"]!["orderId"], "each change stays in its own item");
            for (var j = 0; j < i; j++) Assert.AreNotSame(items[i]["contentData"]!["data"], items[j]["contentData"]!["data"]);
        }
        Assert.AreEqual("2026-12-05T10:00:00Z", (string?)items[3]["contentData"]!["data"]!["when"], "the parser's token types (dates stay strings)");
        Assert.AreEqual(JTokenType.Float, items[3]["contentData"]!["data"]!["amount"]!.Type);
    }
}
