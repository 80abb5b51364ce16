using System.Globalization;
using LocalLogicApp.Bindings.ServiceBus;
using Newtonsoft.Json.Linq;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;

namespace EndToEnd.Tests.Bindings;

/// <summary>The Service Bus trigger's output item, built property by property: the same item as the indexer built, token for token.</summary>
[TestClass]
public sealed class ConnectorMessages_Specs
{
    private const string Event = """{"messageId":"m-1","eventType":"OrderCreated","data":{"orderId":"o-1","amount":12.50,"lines":[{"sku":"A","quantity":2}],"note":null,"when":"2026-12-05T10:00:00Z"}}""";

    private static async Task<(LocalServiceBus Bus, IReadOnlyList<ServiceBusReceivedMessage> Received)> FanOutAsync(params ServiceBusMessage[] messages)
    {
        var topology = new Topology();
        var topic = topology.AddTopic("orders");
        topic.AddSubscription("sap");
        topic.AddSubscription("sms");
        var bus = LocalServiceBus.Create(topology);
        await bus.SendAsync("orders", messages);
        var received = new List<ServiceBusReceivedMessage>();
        foreach (var subscription in new[] { "sap", "sms" })
        {
            await using var receiver = bus.CreateReceiver(EntityPath.FormatSubscriptionPath("orders", subscription));
            received.AddRange(await receiver.ReceiveAsync(messages.Length * 2, TimeSpan.Zero));
        }
        return (bus, received);
    }

    private static ServiceBusMessage Json(string body, string? contentType = ConnectorMessages.JsonContentType) => new(body)
    {
        ContentType = contentType,
        MessageId = "m-1",
        CorrelationId = "c-1",
        SessionId = "o-1",
        Subject = "OrderCreated",
        ApplicationProperties = { ["eventType"] = "OrderCreated", ["schemaMajor"] = 1, ["published"] = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero), ["nothing"] = null },
    };

    /// <summary>The item as the connector built it before, with the indexer (the shape this binding must keep).</summary>
    private static JObject AsBefore(ServiceBusReceivedMessage m)
    {
        static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        static JToken Property(object? value) => value switch
        {
            null => JValue.CreateNull(),
            string s => s,
            DateTimeOffset d => Utc(d),
            IConvertible number => JToken.FromObject(number),
            _ => value.ToString()!,
        };
        return new JObject
        {
            ["contentData"] = ConnectorMessages.ContentData(m.Body, m.ContentType),
            ["contentType"] = m.ContentType,
            ["sessionId"] = m.SessionId,
            ["userProperties"] = new JObject(m.ApplicationProperties.Select(p => new JProperty(p.Key, Property(p.Value)))),
            ["messageId"] = m.MessageId,
            ["lockToken"] = string.IsNullOrEmpty(m.LockToken) ? null : m.LockToken,
            ["to"] = m.To,
            ["replyTo"] = m.ReplyTo,
            ["replyToSession"] = m.ReplyToSessionId,
            ["label"] = m.Subject,
            ["scheduledEnqueueTimeUtc"] = m.ScheduledEnqueueTime == default ? null : Utc(m.ScheduledEnqueueTime),
            ["correlationId"] = m.CorrelationId,
            ["timeToLive"] = m.TimeToLive.ToString("c", CultureInfo.InvariantCulture),
            ["deadletterSource"] = m.DeadLetterSource,
            ["deliveryCount"] = m.DeliveryCount,
            ["enqueuedSequenceNumber"] = m.EnqueuedSequenceNumber,
            ["enqueuedTimeUtc"] = Utc(m.EnqueuedTime),
            ["lockedUntilUtc"] = m.LockedUntil == default ? null : Utc(m.LockedUntil),
            ["sequenceNumber"] = m.SequenceNumber,
        };
    }

    private static void AssertSameTokens(JToken expected, JToken actual, string path = "$")
    {
        Assert.AreEqual(expected.Type, actual.Type, path);
        switch (expected)
        {
            case JObject obj:
                CollectionAssert.AreEqual(obj.Properties().Select(p => p.Name).ToArray(), ((JObject)actual).Properties().Select(p => p.Name).ToArray(), path);
                foreach (var property in obj.Properties()) AssertSameTokens(property.Value, actual[property.Name]!, $"{path}.{property.Name}");
                break;
            case JArray array:
                Assert.AreEqual(array.Count, ((JArray)actual).Count, path);
                for (var i = 0; i < array.Count; i++) AssertSameTokens(array[i], actual[i]!, $"{path}[{i}]");
                break;
            case JValue value:
                Assert.AreEqual(value.Value?.GetType(), ((JValue)actual).Value?.GetType(), path);
                Assert.AreEqual(value.Value, ((JValue)actual).Value, path);
                break;
        }
    }

    [TestMethod]
    public async Task A_received_message_is_the_same_output_item_as_the_connector_built_before()
    {
        var (bus, received) = await FanOutAsync(Json(Event), Json("plain text", contentType: null), Json("<a/>", "application/xml"));
        using var _ = bus;

        Assert.AreEqual(6, received.Count, "three messages, two subscriptions");
        foreach (var message in received)
        {
            AssertSameTokens(AsBefore(message), ConnectorMessages.ToConnectorMessage(message));
        }
    }
}
