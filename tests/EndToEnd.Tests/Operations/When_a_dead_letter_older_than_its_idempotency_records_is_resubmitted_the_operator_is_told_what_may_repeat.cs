using LocalLogicApp.Operations;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.Operations;

/// <summary>In Azure the lake account deletes a message's idempotency records 90 days after their last change
/// (docs/operations.md, "Resubmit within 90 days"). Resubmitting a dead letter older than that may repeat side effects,
/// so the confirmation the operator answers (or confirms with --yes) says so; a younger one asks as before.</summary>
[TestClass]
public sealed class When_a_dead_letter_older_than_its_idempotency_records_is_resubmitted_the_operator_is_told_what_may_repeat
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);

    private static DeadLetter DeadLetteredAt(DateTimeOffset? enqueued) => new(
        DeadLetterLocation.AlertQueue, "deadletters-sms-notification", "sms-notification", 7, "order-1-updated-v1",
        "MaxDeliveryCountExceeded", null, enqueued, new JObject());

    [TestMethod]
    public void One_dead_lettered_120_days_ago_is_said_to_repeat_what_lost_its_record()
    {
        var warning = DeadLetterOperations.ResubmitWarning(DeadLetteredAt(Now.AddDays(-120)), Now);

        Assert.IsNotNull(warning);
        StringAssert.Contains(warning, "dead-lettered 120 days ago, past the 90 days");
        StringAssert.Contains(warning, "an SMS sent again");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(89)]
    [DataRow(90)]
    public void One_within_90_days_gets_no_warning(int daysAgo)
    {
        Assert.IsNull(DeadLetterOperations.ResubmitWarning(DeadLetteredAt(Now.AddDays(-daysAgo)), Now));
    }

    [TestMethod]
    public void One_whose_time_is_unknown_gets_no_warning()
    {
        Assert.IsNull(DeadLetterOperations.ResubmitWarning(DeadLetteredAt(null), Now));
    }
}
