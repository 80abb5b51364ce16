using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

/// <summary>The publisher sends the order's OrderCreated again under a new message id (after the topic's duplicate
/// detection window, or from a second system): the order's record is the create's claim, so SAP is not called again.</summary>
[TestClass]
public sealed class When_an_order_is_created_again_under_another_message_id_SAP_gets_no_second_document
{
    [TestMethod]
    public async Task The_second_create_is_skipped_and_completed_with_the_first_document()
    {
        using var scenario = new WorkflowScenario();
        var salesDocument = scenario.Sap.NextSalesDocument;
        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery("valid/OrderCreated.standard.json"));
        var again = await scenario.Delivery("valid/OrderCreated.standard.json", e => e["messageId"] = "order-100482-created-v1-resent");

        var run = await scenario.DeliverAsync("SapFulfillment", again);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("Skipped", run.Outcome());
        StringAssert.Contains(run.Action("Classify_outcome").Body()!.Value<string>("detail"), salesDocument);
        Assert.AreEqual(1, scenario.Sap.BapiCalls.Count);
        Assert.AreEqual(1, scenario.Sap.Committed.Count);
        var settlement = scenario.Bus.SettlementsOf(again).Single();
        Assert.AreEqual("completeMessageInSession", settlement.Operation);
        Assert.AreEqual("AlreadyCreated", run.Action("Prepare_the_SAP_sales_order").TrackedProperties!.Value<string>("operation"));
    }

    [TestMethod]
    public async Task A_second_create_while_the_first_still_holds_the_order_backs_off()
    {
        using var scenario = new WorkflowScenario();
        var again = await scenario.Delivery("valid/OrderCreated.standard.json", e => e["messageId"] = "order-100482-created-v1-resent");
        Workflows.Runtime.History.WorkflowRun? second = null;
        scenario.Sap.BeforeNextCall(() => second = scenario.DeliverAsync("SapFulfillment", again).GetAwaiter().GetResult());

        var first = await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery("valid/OrderCreated.standard.json"));

        first.ShouldHaveSucceeded();
        Assert.IsNotNull(second);
        Assert.AreEqual("InProgressElsewhere", second.Outcome());
        Assert.AreEqual("abandonMessageInSession", scenario.Bus.SettlementsOf(again).Single().Operation);
        Assert.AreEqual(1, scenario.Sap.BapiCalls.Count);
    }
}
