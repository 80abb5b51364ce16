using System.Net.Http.Headers;
using System.Text;
using EndToEnd.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using ServiceBus.Local.Messages;

namespace EndToEnd.Tests.Scenarios;

/// <summary>
/// The orders topic at its size quota (in Azure: dead letters or a stalled subscription fill it) refuses the intake's
/// publish with QuotaExceeded ("Subsequent incoming messages are rejected",
/// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas, "Queue or topic size"); the connector
/// fails the action at once (403, which the action's retry policy does not retry), and OrderIntake answers 503 with
/// Retry-After: nothing is published. Once the topic has room the caller's retry of the same event is accepted and
/// processed once; a second retry is dropped by duplicate detection. The topic is filled by a scheduled message
/// (a topic's scheduled messages count toward its size, and no subscriber sees it), its quota made 4 KB.
/// </summary>
[TestClass]
public sealed class When_the_orders_topic_is_full_the_intake_answers_503_and_publishes_the_event_once_there_is_room
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    [TestMethod]
    public async Task The_caller_is_told_to_retry_and_its_retry_is_processed_once()
    {
        await using var app = await LocalApp.StartAsync(topology: t => t.Topics.Single(topic => topic.Name == "orders").Properties.MaxSizeInBytes = 4_096);
        var filler = await app.Host.Bus.ScheduleAsync("orders", new ServiceBusMessage(new byte[5_000]) { MessageId = "filler" }, DateTimeOffset.UtcNow.AddDays(1));
        var order = LocalApp.Variant("OrderCreated.standard", "E2E-FULL-1");
        const string messageId = "E2E-FULL-1-ordercreated-v1";

        var (refusedStatus, retryAfter, refusedBody) = await PostAsync(app, order);

        Assert.AreEqual(503, refusedStatus, refusedBody.ToString());
        Assert.AreEqual("30", retryAfter);
        Assert.AreEqual("PublishFailed", refusedBody.Value<string>("error"));
        Assert.AreEqual(messageId, refusedBody.Value<string>("messageId"));
        StringAssert.Contains(refusedBody.Value<string>("detail"), "The maximum entity size has been reached or exceeded for Topic: 'orders'");
        foreach (var subscription in LocalApp.SubscriptionOf.Values)
        {
            Assert.AreEqual(0L, app.Host.Bus.GetMessageCounts($"orders/Subscriptions/{subscription}").Active, subscription);
        }
        Assert.AreEqual(5_006L, app.Host.Bus.GetEntitySize("orders").SizeInBytes, "the filler (5,000 bytes and its id) only");

        await app.Host.Bus.CancelScheduledAsync("orders", filler);
        var (acceptedStatus, _, acceptedBody) = await PostAsync(app, order);
        await app.SettledAsync();
        var (againStatus, _, _) = await PostAsync(app, order);
        await app.SettledAsync();

        Assert.AreEqual(202, acceptedStatus, acceptedBody.ToString());
        Assert.AreEqual(202, againStatus, "a retry of an accepted event is accepted too; the topic drops the duplicate");
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("E2E-FULL-1"));
        foreach (var subscriber in LocalApp.Subscribers)
        {
            Assert.HasCount(1, app.RunsOf(subscriber, messageId), subscriber);
        }
    }

    private static async Task<(int Status, string? RetryAfter, JObject Body)> PostAsync(LocalApp app, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, app.Host.IntakeUrl) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.SendAsync(request);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        return ((int)response.StatusCode, retryAfter, JObject.Parse(await response.Content.ReadAsStringAsync()));
    }
}
