using System.Text;
using LocalLogicApp.Operations;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class When_an_operator_resubmits_a_dead_letter_only_the_failing_subscriber_receives_it
{
    [TestMethod]
    public async Task The_copy_keeps_the_messageId_reaches_only_sms_notification_and_records_the_operator()
    {
        await using var desk = DeadLetterDesk.Open();
        var messageId = await desk.PublishOrderAsync();
        await desk.SmsSubscriberFailsAsync();
        desk.Clock.Advance(TimeSpan.FromMinutes(6)); // past the topic's duplicate-detection window (PT5M)
        var deadLetter = (await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None)).Single();

        var outcome = await desk.Operations.ResubmitAsync(deadLetter, deadLetter.Subscriber, waitForWindow: false, null, CancellationToken.None);

        Assert.IsTrue(outcome.Sent);
        Assert.AreEqual("sms-notification", outcome.To);
        var held = await desk.SubscriptionsAsync();
        var copy = held["sms-notification"].Single();
        Assert.AreEqual(messageId, copy.MessageId, "the business messageId is kept: every idempotency record still applies");
        Assert.AreEqual("""{"eventType":"OrderCreated","orderId":"100482"}""", copy.BodyAsString(), "the body is sent byte for byte");
        Assert.AreEqual("corr-100482", copy.CorrelationId);
        Assert.AreEqual("100482", copy.SessionId);
        Assert.AreEqual("sms-notification", copy.ApplicationProperties["resubmitTo"]);
        Assert.AreEqual(DeadLetterDesk.Operator.Id, copy.ApplicationProperties["resubmittedBy"], "the object id, as published events carry their publisher");
        Assert.AreEqual(desk.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), copy.ApplicationProperties["resubmittedAt"]);
        Assert.IsFalse(copy.ApplicationProperties.ContainsKey("DeadLetterReason"), "the reason belongs to the dead letter, not to the copy");
        Assert.IsEmpty(held["sap-fulfillment"]);
        Assert.IsEmpty(held["warehouse-inventory"]);
        Assert.IsEmpty(held["lake-archive"]);
        Assert.IsTrue(outcome.RemovedOriginal);
        Assert.IsEmpty(await desk.Operations.ListAsync(includeArchive: false, CancellationToken.None), "the original left the alert queue");
    }

    [TestMethod]
    public async Task The_lake_gets_an_audit_line_saying_who_resubmitted_what_and_when()
    {
        await using var desk = DeadLetterDesk.Open();
        var messageId = await desk.PublishOrderAsync();
        await desk.SmsSubscriberFailsAsync();
        desk.Clock.Advance(TimeSpan.FromMinutes(6));
        var deadLetter = (await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None)).Single();

        var outcome = await desk.Operations.ResubmitAsync(deadLetter, "sms-notification", waitForWindow: false, null, CancellationToken.None);

        var at = desk.Clock.GetUtcNow().UtcDateTime;
        StringAssert.StartsWith(outcome.AuditObject, $"audit/deadletters/year={at:yyyy}/month={at:MM}/day={at:dd}/");
        var stored = await desk.Lake.ReadAsync(DeadLetterDesk.LakeContainer, outcome.AuditObject!);
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(Encoding.UTF8.GetString(stored!.Content.Span))) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        var audit = JObject.Load(reader);
        Assert.AreEqual("resubmit", audit.Value<string>("action"));
        Assert.AreEqual(DeadLetterDesk.Operator.Id, audit.Value<string>("by"));
        Assert.AreEqual(DeadLetterDesk.Operator.Name, audit.Value<string>("byName"));
        Assert.AreEqual(at.ToString("O"), audit.Value<string>("at"));
        Assert.AreEqual(messageId, audit.Value<string>("messageId"));
        Assert.AreEqual("sms-notification", audit.Value<string>("to"));
        Assert.AreEqual("deadletters-sms-notification", audit.Value<string>("from"));
        Assert.AreEqual("DownstreamRejected", audit.Value<string>("reason"));
    }
}
