using System.Text;
using EndToEnd.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_a_large_order_is_posted_it_travels_as_a_claim_check_and_every_subscriber_reads_it
{
    private const string OrderId = "E2E-9001";
    private const string MessageId = "E2E-9001-ordercreated-v1";
    private const int Lines = 600;
    private static readonly string[] Subscribers = ["SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive"];

    [TestMethod]
    public async Task The_topic_carries_only_a_payload_reference_and_SAP_the_warehouse_the_customer_and_the_lake_get_the_whole_order()
    {
        await using var app = await LocalApp.StartAsync();
        var options = app.Host.CustomCode.Options;
        var order = LargeOrder(OrderId, Lines);
        Assert.IsGreaterThan(options.ClaimCheckThresholdBytes, Encoding.UTF8.GetByteCount(order.ToString(Newtonsoft.Json.Formatting.None)),
            "precondition: the order must be above the claim-check threshold");

        var (status, body) = await app.PostAsync(order.ToString());
        await app.SettledAsync();

        Assert.AreEqual(202, status, body?.ToString());
        Assert.AreEqual(MessageId, body!.Value<string>("messageId"));

        // The claim check: one object in the lake holding the whole event, above the threshold.
        var claimChecks = await app.Host.Store.ListAsync(options.LakeContainer, "claimchecks/OrderCreated/v1/").ToListAsync();
        var claimCheckPath = claimChecks.Single(p => p.EndsWith("/" + MessageId + ".json", StringComparison.Ordinal));
        var stored = await app.Host.Store.ReadAsync(options.LakeContainer, claimCheckPath);
        Assert.IsNotNull(stored);
        Assert.IsGreaterThan(options.ClaimCheckThresholdBytes, stored.Content.Length);
        Assert.HasCount(Lines, (JArray)JObject.Parse(Encoding.UTF8.GetString(stored.Content.Span))["data"]!["lines"]!);

        // What travelled on the topic, as each subscriber's trigger received it: the reference, never the data.
        foreach (var subscriber in Subscribers)
        {
            var run = app.RunsOf(subscriber, MessageId).Single();
            Assert.IsTrue(LocalLogicApp.Reporting.SubscriberRuns.Settled(run), $"{subscriber} did not settle");
            Assert.AreEqual("complete", LocalLogicApp.Reporting.SubscriberRuns.Body(run, "Decide_settlement")?.Value<string>("action"), subscriber);
            var received = ContentOf(run);
            Assert.IsNull(received["data"], $"{subscriber} received the order inline: {Shorten(received)}");
            var reference = (JObject)received["payloadReference"]!;
            Assert.AreEqual(claimCheckPath, reference.Value<string>("path"), subscriber);
            Assert.AreEqual(options.LakeContainer, reference.Value<string>("container"), subscriber);
            Assert.AreEqual(stored.Content.Length, reference.Value<long>("sizeBytes"), subscriber);
            Assert.AreEqual(OrderId, LocalLogicApp.Reporting.SubscriberRuns.Prepared(run)?["delivery"]?.Value<string>("orderId"), subscriber);
        }

        // Every subscriber acted on the whole order it read back from the claim check.
        var sapOrder = app.Host.Sap.SalesOrdersForPurchaseOrder(OrderId).Single();
        Assert.AreEqual("Open", sapOrder.Status);
        Assert.HasCount(Lines, sapOrder.Items);
        var reservation = app.Host.Warehouse.Reservations[OrderId];
        Assert.AreEqual("Reserved", reservation.Status);
        Assert.HasCount(Lines, reservation.Lines);
        var customer = (JObject)order["data"]!["customer"]!;
        Assert.IsTrue(customer.Value<bool>("smsOptIn"), "precondition: the customer opted in to SMS");
        var sms = app.Host.Twilio.SentMessages.Single();
        Assert.AreEqual(customer.Value<string>("phone"), sms.To);
        StringAssert.Contains(sms.Body, OrderId);
        var lakeFiles = await app.Host.Store.ListAsync(options.LakeContainer, "orders/OrderCreated/v1/").ToListAsync();
        var lakePath = lakeFiles.Single(p => p.EndsWith("/" + MessageId + ".json", StringComparison.Ordinal));
        var archived = await app.Host.Store.ReadAsync(options.LakeContainer, lakePath);
        var archivedEvent = JObject.Parse(Encoding.UTF8.GetString(archived!.Content.Span));
        Assert.IsNull(archivedEvent["payloadReference"], "the lake keeps the resolved order, not the reference");
        Assert.HasCount(Lines, (JArray)archivedEvent["data"]!["lines"]!);

        // Nothing was dead-lettered anywhere, so nothing was alerted.
        foreach (var path in app.Host.Bus.ReceivableEntityPaths)
        {
            var counts = app.Host.Bus.GetMessageCounts(path);
            Assert.AreEqual(0, counts.DeadLetter, $"dead letters on {path}");
            Assert.AreEqual(0, counts.Active, $"messages left on {path}");
        }
        foreach (var subscriber in Subscribers)
        {
            Assert.IsEmpty(app.Host.History.Query(new RunQuery(WorkflowName: subscriber + "DeadLetters")), $"{subscriber}DeadLetters ran");
        }
        Assert.IsEmpty(app.Host.Teams.PostedCards);
    }

    /// <summary>A valid OrderCreated far above the 192 KB threshold: many lines with long (valid, at most 200
    /// characters) descriptions of two-byte UTF-8 characters. The same idea as the custom-code tests' large order.</summary>
    private static JObject LargeOrder(string orderId, int lines)
    {
        var order = JObject.Parse(LocalApp.Variant("OrderCreated.standard", orderId));
        const decimal unitPrice = 1.5m;
        order["data"]!["lines"] = new JArray(Enumerable.Range(0, lines).Select(i => new JObject
        {
            ["sku"] = $"MAT-{i:D5}",
            ["quantity"] = 1,
            ["unitPrice"] = unitPrice,
            ["description"] = $"Line {i}: " + new string('é', 180),
        }));
        order["data"]!["amount"] = unitPrice * lines;
        return order;
    }

    /// <summary>The message body a subscriber's trigger received; the built-in trigger hands <c>contentData</c> over
    /// as parsed JSON, a JSON string or base64, so all three are read.</summary>
    private static JObject ContentOf(WorkflowRun run)
    {
        var content = ((JObject)run.Trigger.Outputs)["body"]!["contentData"]!;
        if (content is JObject json) return json;
        var text = content.Value<string>()!;
        return text.TrimStart().StartsWith('{') ? JObject.Parse(text) : JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
    }

    private static string Shorten(JToken token)
    {
        var text = token.ToString(Newtonsoft.Json.Formatting.None);
        return text.Length <= 300 ? text : text[..300] + "...";
    }
}
