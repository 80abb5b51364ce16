using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

/// <summary>The check against Twilio's list is for a takeover only: a first delivery makes no list call and stores
/// nothing more than before (the claim's create and its completion).</summary>
[TestClass]
public sealed class When_a_first_delivery_sends_an_SMS_Twilio_is_not_asked_what_it_sent
{
    [TestMethod]
    public async Task One_send_no_list_and_two_storage_transactions()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        var before = scenario.Storage.Total.Transactions;

        var run = await scenario.DeliverAsync("SmsNotification", delivery);

        run.ShouldHaveSucceeded();
        Assert.HasCount(1, scenario.TwilioSends);
        Assert.IsEmpty(scenario.TwilioLists);
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("List_the_messages_sent_to_the_number").Status);
        Assert.IsFalse(run.Action("Prepare_the_SMS").Body()!.Value<bool>("reconcile"));
        Assert.AreEqual(2, scenario.Storage.Total.Transactions - before);
    }
}
