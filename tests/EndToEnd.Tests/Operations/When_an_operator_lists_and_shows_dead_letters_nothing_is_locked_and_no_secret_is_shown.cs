using LocalLogicApp.Operations;

namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class When_an_operator_lists_and_shows_dead_letters_nothing_is_locked_and_no_secret_is_shown
{
    [TestMethod]
    public async Task Listing_finds_the_dead_letter_with_its_subscriber_and_reason_and_leaves_its_delivery_count()
    {
        await using var desk = DeadLetterDesk.Open();
        var messageId = await desk.PublishOrderAsync();
        await desk.SmsSubscriberFailsAsync("DownstreamRejected");

        var first = await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None);
        var again = await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None);

        var deadLetter = first.Single();
        Assert.AreEqual(DeadLetterLocation.AlertQueue, deadLetter.Location);
        Assert.AreEqual("deadletters-sms-notification", deadLetter.Source);
        Assert.AreEqual("sms-notification", deadLetter.Subscriber);
        Assert.AreEqual(messageId, deadLetter.MessageId);
        Assert.AreEqual("DownstreamRejected", deadLetter.Reason);
        Assert.AreEqual("Twilio answered 400: invalid number", deadLetter.Description);
        Assert.AreEqual(0, again.Single().Message.Value<int>("deliveryCount"), "peeking is not a delivery");
        var peeked = await desk.Bus.PeekAsync("deadletters-sms-notification");
        Assert.AreEqual("", peeked.Single().LockToken, "nothing was locked");
    }

    [TestMethod]
    public async Task Show_masks_user_properties_that_look_like_credentials()
    {
        await using var desk = DeadLetterDesk.Open();
        var message = new ServiceBus.Local.Messages.ServiceBusMessage("{}") { MessageId = "m-1" };
        message.ApplicationProperties["apiKey"] = "abc123";
        message.ApplicationProperties["sasToken"] = "sv=2024&sig=xyz";
        message.ApplicationProperties["orderId"] = "100482";
        await desk.Bus.SendAsync("deadletters-lake-archive", message);
        var deadLetter = (await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None)).Single();

        var shown = DeadLetterOperations.ForDisplay(deadLetter).ToString();

        Assert.DoesNotContain("abc123", shown);
        Assert.DoesNotContain("xyz", shown);
        StringAssert.Contains(shown, "100482");
    }
}
