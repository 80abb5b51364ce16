namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class When_a_dead_letter_is_resubmitted_inside_the_duplicate_detection_window_nothing_is_sent
{
    [TestMethod]
    public async Task The_outcome_names_the_instant_it_can_be_sent_and_the_dead_letter_stays()
    {
        await using var desk = DeadLetterDesk.Open();
        await desk.PublishOrderAsync();
        await desk.SmsSubscriberFailsAsync();
        desk.Clock.Advance(TimeSpan.FromMinutes(2));
        var deadLetter = (await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None)).Single();

        var outcome = await desk.Operations.ResubmitAsync(deadLetter, "sms-notification", waitForWindow: false, null, CancellationToken.None);

        Assert.IsFalse(outcome.Sent, "the topic would accept the copy and drop it silently");
        Assert.AreEqual(deadLetter.EnqueuedUtc!.Value + TimeSpan.FromMinutes(5), outcome.NotBefore);
        Assert.IsEmpty((await desk.SubscriptionsAsync())["sms-notification"]);
        Assert.HasCount(1, await desk.Operations.ListAsync(includeArchive: false, CancellationToken.None));
        Assert.IsNull(outcome.AuditObject, "nothing happened, so nothing is audited");
    }

    [TestMethod]
    public async Task Once_the_window_has_passed_the_same_resubmit_goes_through()
    {
        await using var desk = DeadLetterDesk.Open();
        await desk.PublishOrderAsync();
        await desk.SmsSubscriberFailsAsync();
        var deadLetter = (await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None)).Single();
        Assert.IsFalse((await desk.Operations.ResubmitAsync(deadLetter, "sms-notification", false, null, CancellationToken.None)).Sent);

        desk.Clock.Advance(TimeSpan.FromMinutes(5));
        var outcome = await desk.Operations.ResubmitAsync(deadLetter, "sms-notification", false, null, CancellationToken.None);

        Assert.IsTrue(outcome.Sent);
        Assert.HasCount(1, (await desk.SubscriptionsAsync())["sms-notification"]);
    }

    [TestMethod]
    public async Task A_second_resubmit_of_the_same_message_waits_out_the_window_of_the_first()
    {
        await using var desk = DeadLetterDesk.Open();
        await desk.PublishOrderAsync();
        await desk.SmsSubscriberFailsAsync();
        desk.Clock.Advance(TimeSpan.FromMinutes(6));
        var deadLetter = (await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None)).Single();
        Assert.IsTrue((await desk.Operations.ResubmitAsync(deadLetter, "sms-notification", false, null, CancellationToken.None)).Sent);
        var firstResubmit = desk.Clock.GetUtcNow();

        desk.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await desk.Operations.ResubmitAsync(deadLetter, "sms-notification", false, null, CancellationToken.None);

        Assert.IsFalse(again.Sent, "the first copy's messageId is in the topic's duplicate history");
        Assert.AreEqual(firstResubmit + TimeSpan.FromMinutes(5), again.NotBefore);
    }
}
