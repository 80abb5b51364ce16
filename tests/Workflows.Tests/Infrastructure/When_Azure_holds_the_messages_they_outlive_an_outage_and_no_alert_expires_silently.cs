namespace Workflows.Tests.Infrastructure;

/// <summary>
/// Config.json carries the emulator's caps (a one-hour time to live, five minutes of duplicate detection), which the
/// local broker runs. In Azure a message's expiry is fixed when it is enqueued, with the entity's default as its ceiling
/// (Learn, "Message expiration (Time to Live)"): with an hour, a subscriber down for longer would dead-letter its
/// traffic, and an alert nobody took within the hour would vanish from a dead-letter queue. The IaC deploys production
/// values over Config.json's.
/// </summary>
[TestClass]
public sealed class When_Azure_holds_the_messages_they_outlive_an_outage_and_no_alert_expires_silently
{
    private static readonly IReadOnlyList<Cli.Iac.ArmResource> Resources = RepositoryFiles.MainTemplate().ExpandResources();

    private static IEnumerable<(string Name, Newtonsoft.Json.Linq.JToken Properties)> Entities(string type) =>
        Resources.Where(r => r.Type == type).Select(r => (r.Name.Split('/')[^1], r.Json["properties"]!));

    [TestMethod]
    public void The_orders_topic_and_every_subscription_keep_a_message_fourteen_days_and_detect_duplicates_for_an_hour()
    {
        var (_, topic) = Entities("Microsoft.ServiceBus/namespaces/topics").Single(t => t.Name == "orders");
        Assert.AreEqual("P14D", (string?)topic["defaultMessageTimeToLive"]);
        Assert.AreEqual("PT1H", (string?)topic["duplicateDetectionHistoryTimeWindow"]);
        Assert.IsTrue((bool?)topic["requiresDuplicateDetection"]);

        var subscriptions = Entities("Microsoft.ServiceBus/namespaces/topics/subscriptions").ToList();
        Assert.HasCount(4, subscriptions);
        foreach (var (name, properties) in subscriptions)
        {
            Assert.AreEqual("P14D", (string?)properties["defaultMessageTimeToLive"], name);
            Assert.IsTrue((bool?)properties["deadLetteringOnMessageExpiration"], $"{name}: an expired message is dead-lettered, never dropped");
        }
    }

    [TestMethod]
    public void Every_dead_letter_queue_keeps_an_alert_thirty_days_and_then_dead_letters_it()
    {
        var queues = Entities("Microsoft.ServiceBus/namespaces/queues").Where(q => q.Name.StartsWith("deadletters-", StringComparison.Ordinal)).ToList();
        Assert.HasCount(4, queues);
        foreach (var (name, properties) in queues)
        {
            Assert.AreEqual("P30D", (string?)properties["defaultMessageTimeToLive"], name);
            Assert.IsTrue((bool?)properties["deadLetteringOnMessageExpiration"], $"{name}: an unanswered alert lands in its own dead-letter queue");
        }
    }
}
