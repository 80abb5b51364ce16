using System.Globalization;
using System.Text;
using LocalLogicApp.Bindings.ServiceBus;
using Newtonsoft.Json.Linq;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;

namespace EndToEnd.Tests.Bindings;

/// <summary>
/// The Service Bus trigger's output item, and its JSON <c>contentData</c> parsed once for every subscription a message
/// reaches (<see cref="ParsedBodies"/>): the same item as before, property for property, and no token shared between
/// two deliveries.
/// </summary>
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

    private static JToken Parsed(string json) =>
        JToken.ReadFrom(new Newtonsoft.Json.JsonTextReader(new StringReader(json)) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None });

    private static IEnumerable<JToken> Tokens(JToken root) => root is JContainer container ? container.DescendantsAndSelf() : [root];

    [TestMethod]
    public async Task A_received_message_is_the_same_output_item_as_the_connector_built_before()
    {
        var (bus, received) = await FanOutAsync(Json(Event), Json("plain text", contentType: null), Json("<a/>", "application/xml"));
        using var _ = bus;
        var bodies = new ParsedBodies();

        foreach (var message in received)
        {
            AssertSameTokens(AsBefore(message), ConnectorMessages.ToConnectorMessage(message, bodies));
            AssertSameTokens(AsBefore(message), ConnectorMessages.ToConnectorMessage(message));
        }
    }

    [TestMethod]
    public async Task A_message_that_reaches_two_subscriptions_is_parsed_once_and_each_delivery_gets_its_own_tree()
    {
        var (bus, received) = await FanOutAsync(Json(Event));
        using var _ = bus;
        var bodies = new ParsedBodies();

        var first = ConnectorMessages.ToConnectorMessage(received[0], bodies);
        var second = ConnectorMessages.ToConnectorMessage(received[1], bodies);

        Assert.AreEqual(1, bodies.Hits);
        AssertSameTokens(Parsed(Event), second["contentData"]!);
        AssertSameTokens(first["contentData"]!, second["contentData"]!);
        var firstTokens = Tokens(first["contentData"]!).ToHashSet(ReferenceEqualityComparer.Instance);
        Assert.IsFalse(Tokens(second["contentData"]!).Any(firstTokens.Contains), "no token is shared between the two deliveries");
    }

    [TestMethod]
    public void A_delivery_that_changes_its_copy_changes_neither_the_kept_tree_nor_the_next_copy()
    {
        var bodies = new ParsedBodies();
        var body = Encoding.UTF8.GetBytes(Event);
        ConnectorMessages.ContentData(body, ConnectorMessages.JsonContentType, bodies);

        var copy = ConnectorMessages.ContentData(body, ConnectorMessages.JsonContentType, bodies);
        copy["data"]!["orderId"] = "changed";
        ((JArray)copy["data"]!["lines"]!).Clear();

        var next = ConnectorMessages.ContentData(body, ConnectorMessages.JsonContentType, bodies);
        Assert.AreEqual(2, bodies.Hits);
        AssertSameTokens(Parsed(Event), next);
    }

    [TestMethod]
    public void Other_bytes_of_the_same_length_are_parsed_not_served_from_the_kept_tree()
    {
        var bodies = new ParsedBodies();
        var one = Encoding.UTF8.GetBytes("""{"orderId":"o-1"}""");
        var other = Encoding.UTF8.GetBytes("""{"orderId":"o-2"}""");

        ConnectorMessages.ContentData(one, ConnectorMessages.JsonContentType, bodies);
        var read = ConnectorMessages.ContentData(other, ConnectorMessages.JsonContentType, bodies);

        Assert.AreEqual("o-2", (string?)read["orderId"]);
    }

    [TestMethod]
    public void Text_several_values_and_bodies_that_are_not_JSON_are_never_kept()
    {
        var bodies = new ParsedBodies();
        foreach (var (body, contentType) in new[] { ("""{"a":1}""", (string?)null), ("""{"a":1} {"b":2}""", ConnectorMessages.JsonContentType), ("{not json", ConnectorMessages.JsonContentType), ("""{"a":1}""", "application/json; charset=utf-8"), ("42", ConnectorMessages.JsonContentType) })
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var first = ConnectorMessages.ContentData(bytes, contentType, bodies);
            var second = ConnectorMessages.ContentData(bytes, contentType, bodies);
            Assert.IsTrue(JToken.DeepEquals(first, second), body);
        }

        Assert.AreEqual(0, bodies.Count);
        Assert.AreEqual(0, bodies.Hits);
    }

    [TestMethod]
    public void The_kept_trees_are_bounded_by_count_and_by_body_bytes_the_oldest_going_first()
    {
        var byCount = new ParsedBodies(maxEntries: 2, maxBodyBytes: 1 << 20);
        var byBytes = new ParsedBodies(maxEntries: 100, maxBodyBytes: 40);
        var bodies = Enumerable.Range(1, 3).Select(i => Encoding.UTF8.GetBytes($$"""{"orderId":"order-{{i}}"}""")).ToArray(); // 21 bytes each
        foreach (var body in bodies)
        {
            ConnectorMessages.ContentData(body, ConnectorMessages.JsonContentType, byCount);
            ConnectorMessages.ContentData(body, ConnectorMessages.JsonContentType, byBytes);
        }

        Assert.AreEqual(2, byCount.Count);
        Assert.AreEqual(1, byBytes.Count);
        Assert.IsNull(byCount.TryCopy(bodies[0]), "the oldest is forgotten");
        Assert.IsNotNull(byCount.TryCopy(bodies[2]));
        Assert.IsNotNull(byBytes.TryCopy(bodies[2]));
        Assert.IsNull(byBytes.TryCopy(bodies[1]));
    }

    [TestMethod]
    public void A_large_body_is_parsed_on_every_delivery_and_never_kept()
    {
        var bodies = new ParsedBodies();
        var large = Encoding.UTF8.GetBytes($$"""{"description":"{{new string('x', ParsedBodies.MaxKeptBody)}}"}""");

        ConnectorMessages.ContentData(large, ConnectorMessages.JsonContentType, bodies);
        var again = ConnectorMessages.ContentData(large, ConnectorMessages.JsonContentType, bodies);

        Assert.AreEqual(0, bodies.Count);
        Assert.AreEqual(ParsedBodies.MaxKeptBody, ((string)again["description"]!).Length);
    }
}
