using System.Collections.Concurrent;
using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Authentication;
using Workflows.Runtime.History;

namespace EndToEnd.Tests.Authentication;

[TestClass]
public sealed class When_an_unknown_caller_posts_to_a_protected_intake_it_is_refused_and_nothing_is_published
{
    private static readonly ConcurrentQueue<string> Log = new();
    private static LocalApp app = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _) => app = await LocalApp.StartAsync(settings: ProtectedIntake.Settings, log: Log.Enqueue);

    [ClassCleanup]
    public static async Task Stop() => await app.DisposeAsync();

    [TestMethod]
    public async Task A_call_without_a_token_gets_401_with_a_bearer_challenge_and_starts_no_run()
    {
        var (status, body) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "AUTH-401"));
        await app.SettledAsync();

        Assert.AreEqual(401, status);
        Assert.AreEqual("MissingToken", (string?)body?["error"]?["code"]);
        NothingWasPublishedFor("AUTH-401");
        Assert.IsTrue(Log.Any(l => l.Contains("refused", StringComparison.Ordinal) && l.Contains("401 MissingToken", StringComparison.Ordinal)), string.Join("\n", Log));
    }

    [TestMethod]
    public async Task A_valid_token_of_another_client_application_gets_403_and_the_log_names_the_client_but_not_the_token()
    {
        var token = app.Host.TokenIssuer!.Issue(new TokenRequest(ProtectedIntake.StrangerClientId, ProtectedIntake.StrangerObjectId, ProtectedIntake.Audience));

        var (status, body) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "AUTH-403"), ProtectedIntake.Bearer(token));
        await app.SettledAsync();

        Assert.AreEqual(403, status);
        Assert.AreEqual("ClientNotAllowed", (string?)body?["error"]?["code"]);
        StringAssert.Contains((string?)body?["error"]?["message"], ProtectedIntake.StrangerClientId);
        NothingWasPublishedFor("AUTH-403");
        var refusal = Log.Single(l => l.Contains("403 ClientNotAllowed", StringComparison.Ordinal));
        StringAssert.Contains(refusal, ProtectedIntake.StrangerClientId);
        Assert.IsFalse(Log.Any(l => l.Contains(token, StringComparison.Ordinal) || l.Contains(token.Split('.')[2], StringComparison.Ordinal)), "a log line holds the token");
    }

    [TestMethod]
    public async Task A_token_for_another_audience_gets_401()
    {
        var token = app.Host.TokenIssuer!.Issue(new TokenRequest(ProtectedIntake.PublisherClientId, ProtectedIntake.PublisherObjectId, "api://some-other-api"));

        var (status, body) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "AUTH-AUD"), ProtectedIntake.Bearer(token));
        await app.SettledAsync();

        Assert.AreEqual(401, status);
        StringAssert.Contains((string?)body?["error"]?["message"], "audience");
        NothingWasPublishedFor("AUTH-AUD");
    }

    [TestMethod]
    public async Task The_publisher_application_is_let_in_and_its_order_reaches_the_subscribers()
    {
        var token = app.Host.TokenIssuer!.Issue(new TokenRequest(ProtectedIntake.PublisherClientId, ProtectedIntake.PublisherObjectId, ProtectedIntake.Audience));

        var (status, body) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "AUTH-OK"), ProtectedIntake.Bearer(token));
        await app.SettledAsync();

        Assert.AreEqual(202, status, body?.ToString());
        Assert.HasCount(1, app.RunsOf("LakeArchive", "AUTH-OK-ordercreated-v1"));
    }

    private static void NothingWasPublishedFor(string orderId)
    {
        Assert.IsEmpty(app.Host.History.Query(new RunQuery(WorkflowName: "OrderIntake"))
            .Where(r => r.Trigger.Outputs.ToString().Contains(orderId, StringComparison.Ordinal)).ToList(), "the intake ran");
        foreach (var subscriber in new[] { "SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive" })
            Assert.IsEmpty(app.RunsOf(subscriber, orderId + "-ordercreated-v1"), subscriber + " received the order");
    }
}
