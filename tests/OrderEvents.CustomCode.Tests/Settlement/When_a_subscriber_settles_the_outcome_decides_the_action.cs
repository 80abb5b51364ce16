using OrderEvents.CustomCode.Tests.Mapping;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Settlement;

namespace OrderEvents.CustomCode.Tests.Settlement;

[TestClass]
public sealed class When_a_subscriber_settles_the_outcome_decides_the_action
{
    private static SettlementDecision Decide(string? outcome, JToken? delivery, JToken? max, JToken? detail = null) =>
        SettlementPolicy.Decide(outcome, delivery, max, detail);

    [TestMethod]
    [DataRow("Succeeded")]
    [DataRow("AlreadyCompleted")]
    [DataRow("Skipped")]
    [DataRow("succeeded")]
    public void Success_like_outcomes_complete(string outcome)
    {
        var decision = Decide(outcome, 1, 10);

        Assert.AreEqual("complete", decision.Action);
        Assert.IsNull(decision.DeadLetterReason);
        Assert.IsNull(decision.DeadLetterErrorDescription);
    }

    [TestMethod]
    [DataRow("InvalidMessage", "InvalidMessage")]
    [DataRow("DownstreamRejected", "DownstreamRejected")]
    public void Permanent_failures_dead_letter_on_the_first_delivery(string outcome, string reason)
    {
        var decision = Decide(outcome, 1, 10, "SAP: Material MAT-9 does not exist");

        Assert.AreEqual("deadLetter", decision.Action);
        Assert.AreEqual(reason, decision.DeadLetterReason);
        Assert.AreEqual("SAP: Material MAT-9 does not exist", decision.DeadLetterErrorDescription);
    }

    [TestMethod]
    public void A_downstreams_quoted_error_reaches_the_description_cleaned_and_bounded()
    {
        var detail = "Send_SMS ended Failed with HTTP 400: downstream error 21211: The 'To' number +4915112345678 is not a valid phone number.\r\n"
                     + "See https://api.twilio.com/x?Signature=abc " + new string('y', 2000);

        var decision = Decide("DownstreamRejected", 1, 10, detail);

        Assert.AreEqual("DownstreamRejected", decision.DeadLetterReason);
        StringAssert.StartsWith(decision.DeadLetterErrorDescription, "Send_SMS ended Failed with HTTP 400: downstream error 21211: The 'To' number +49********678 is not a valid phone number. See https://api.twilio.com/x?[redacted] yyy");
        Assert.AreEqual(SettlementPolicy.MaxDescriptionLength, decision.DeadLetterErrorDescription!.Length);
    }

    [TestMethod]
    public void The_last_error_of_an_exhausted_transient_failure_is_cleaned_too()
    {
        var decision = Decide("TransientFailure", 10, 10, "Call_the_warehouse_API ended Failed with HTTP 503: downstream error Unavailable: token=s3cr3t");

        Assert.AreEqual("Still failing after 10 deliveries (max 10). Last error: Call_the_warehouse_API ended Failed with HTTP 503: downstream error Unavailable: token=[redacted]",
            decision.DeadLetterErrorDescription);
    }

    [TestMethod]
    public void A_transient_failure_abandons_before_the_last_delivery()
    {
        Assert.AreEqual("abandon", Decide("TransientFailure", 1, 10).Action);
        Assert.AreEqual("abandon", Decide("TransientFailure", 9, 10).Action);
    }

    [TestMethod]
    public void A_transient_failure_on_the_last_delivery_dead_letters_with_the_last_error()
    {
        var decision = Decide("TransientFailure", 10, 10, "HTTP 503 from warehouse");

        Assert.AreEqual("deadLetter", decision.Action);
        Assert.AreEqual("TransientFailureExhausted", decision.DeadLetterReason);
        StringAssert.Contains(decision.DeadLetterErrorDescription, "10 deliveries");
        StringAssert.Contains(decision.DeadLetterErrorDescription, "HTTP 503 from warehouse");
    }

    [TestMethod]
    public void Delivery_counts_given_as_text_by_the_trigger_are_read() =>
        Assert.AreEqual("deadLetter", Decide("TransientFailure", "10", "10").Action);

    [TestMethod]
    public void In_progress_elsewhere_abandons_and_never_defers()
    {
        var decision = Decide("InProgressElsewhere", 3, 10);

        Assert.AreEqual("abandon", decision.Action);
        StringAssert.Contains(decision.Explanation, "Another run");
    }

    [TestMethod]
    public void In_progress_elsewhere_on_the_last_delivery_dead_letters_for_an_operator()
    {
        var decision = Decide("InProgressElsewhere", 10, 10);

        Assert.AreEqual("deadLetter", decision.Action);
        Assert.AreEqual("InProgressElsewhereExhausted", decision.DeadLetterReason);
    }

    [TestMethod]
    public void An_unknown_outcome_dead_letters_as_a_workflow_defect()
    {
        var decision = Decide("Succeded", 1, 10);

        Assert.AreEqual("deadLetter", decision.Action);
        Assert.AreEqual("UnknownOutcome", decision.DeadLetterReason);
        StringAssert.Contains(decision.DeadLetterErrorDescription, "Succeded");
        Assert.AreEqual(1, decision.Warnings.Count);
        Assert.AreEqual("UnknownOutcome", Decide(null, 1, 10).DeadLetterReason);
    }

    [TestMethod]
    public void Unusable_delivery_counts_on_a_transient_failure_abandon_and_warn()
    {
        foreach (var (delivery, max) in new (JToken?, JToken?)[] { (null, 10), (0, 10), (-1, 10), ("three", 10), (1, 0), (1, new JObject()), (1, 1e30) })
        {
            var decision = Decide("TransientFailure", delivery, max);

            Assert.AreEqual("abandon", decision.Action, $"{delivery}/{max}");
            Assert.IsTrue(decision.Warnings.Count >= 1, $"{delivery}/{max}");
        }
    }

    [TestMethod]
    public void The_description_is_one_bounded_line_without_control_characters()
    {
        var hostile = "line1\r\nline2\u0000\u001b[31m" + new string('x', 5000);

        var decision = Decide("DownstreamRejected", 1, 10, hostile);

        Assert.IsTrue(decision.DeadLetterErrorDescription!.Length <= SettlementPolicy.MaxDescriptionLength);
        Assert.IsFalse(decision.DeadLetterErrorDescription.Any(char.IsControl));
        StringAssert.StartsWith(decision.DeadLetterErrorDescription, "line1 line2 [31m");
        StringAssert.EndsWith(decision.DeadLetterErrorDescription, "\u2026");
    }

    [TestMethod]
    public void An_error_object_as_detail_becomes_compact_JSON()
    {
        var decision = Decide("DownstreamRejected", 1, 10, new JObject { ["status"] = 422, ["title"] = "Insufficient stock" });

        Assert.AreEqual("{\"status\":422,\"title\":\"Insufficient stock\"}", decision.DeadLetterErrorDescription);
    }
}
