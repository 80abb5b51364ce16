using Newtonsoft.Json.Linq;
using Workflows.Runtime;
using Workflows.Runtime.History;
using Workflows.Tests.DeadLetterAlerts;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

/// <summary>
/// Azure cost per message: in a Stateful workflow every executed action (scopes, conditions and switches included)
/// is a storage checkpoint and a billed operation, so the happy path of each workflow has an action budget:
/// at most 8 for a subscriber, 6 for the intake. An action counts when it ran (any status but Skipped); the
/// trigger does not count. The before/after table is in docs/workflows.md.
/// </summary>
[TestClass]
public sealed class When_an_order_event_takes_the_happy_path_each_workflow_stays_within_its_action_budget
{
    public const int SubscriberBudget = 8;
    public const int IntakeBudget = 6;

    [TestMethod]
    [DataRow("SapFulfillment", 8)]
    [DataRow("SmsNotification", 8)]
    [DataRow("WarehouseInventory", 7)]
    [DataRow("LakeArchive", 5)]
    public async Task A_subscriber_that_completes_the_message_executes_at_most_8_actions(string workflow, int expected)
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync(workflow, delivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("complete", scenario.Bus.SettlementsOf(delivery).Single().Kind);
        var executed = Executed(run);
        Assert.IsLessThanOrEqualTo(SubscriberBudget, executed.Count, Describe(workflow, executed));
        Assert.HasCount(expected, executed, "the figure in docs/workflows.md changed: " + Describe(workflow, executed));
    }

    [TestMethod]
    public async Task The_intake_publishing_a_valid_event_executes_at_most_6_actions()
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));
        var run = await response.Run!.Completion;

        Assert.AreEqual(202, response.StatusCode);
        var executed = Executed(run);
        Assert.IsLessThanOrEqualTo(IntakeBudget, executed.Count, Describe("OrderIntake", executed));
        Assert.HasCount(4, executed, "the figure in docs/workflows.md changed: " + Describe("OrderIntake", executed));
    }

    [TestMethod]
    [DataRow(DeadLetters.Sap)]
    [DataRow(DeadLetters.Lake)]
    public async Task A_dead_letter_alert_that_completes_executes_at_most_8_actions(string workflow)
    {
        using var scenario = new WorkflowScenario();
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "DownstreamRejected", "rejected"));

        var run = await scenario.DeliverAsync(workflow, deadLetter);

        run.ShouldHaveSucceeded();
        var executed = Executed(run);
        Assert.IsLessThanOrEqualTo(SubscriberBudget, executed.Count, Describe(workflow, executed));
        // Claim, build, the post's condition, post, archive, decide (closes the claim), the settlement's condition, complete.
        Assert.HasCount(8, executed, "the figure in docs/workflows.md changed: " + Describe(workflow, executed));
    }

    private static IReadOnlyList<string> Executed(WorkflowRun run) =>
        run.Actions.Values.Where(a => a.Status != WorkflowStatus.Skipped).Select(a => a.Name).Order(StringComparer.Ordinal).ToList();

    private static string Describe(string workflow, IReadOnlyList<string> executed) =>
        $"{workflow} executed {executed.Count} actions: {string.Join(", ", executed)}";
}
