using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

[TestClass]
public sealed class When_an_SMS_is_mapped_consent_and_number_decide
{
    [TestMethod]
    public void With_opt_in_and_an_E164_number_the_default_text_is_sent()
    {
        var sms = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event(), fromNumber: "+14155550100");

        Assert.IsTrue(sms.ShouldSend);
        Assert.IsNull(sms.SkipReason);
        Assert.AreEqual("+4915112345678", sms.To);
        Assert.AreEqual("+14155550100", sms.From);
        Assert.AreEqual("Hi Anna, thank you for your order SO-100482 (149.90 EUR). We will let you know when it ships.", sms.Body);
        Assert.AreEqual("GSM-7", sms.Encoding);
        Assert.AreEqual(1, sms.Segments);
    }

    [TestMethod]
    public void Without_opt_in_nothing_is_sent_and_the_reason_is_given()
    {
        var sms = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.smsOptIn", false));

        Assert.IsFalse(sms.ShouldSend);
        Assert.AreEqual("NoSmsOptIn", sms.SkipReason);
        Assert.IsNull(sms.Body);
        Assert.AreEqual(0, sms.Errors.Count, "no consent is a decision, not an error");
    }

    [TestMethod]
    public void Without_customer_or_consent_flag_there_is_no_consent()
    {
        Assert.AreEqual("NoSmsOptIn", OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer", null)).SkipReason);
        Assert.AreEqual("NoSmsOptIn", OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.smsOptIn", null)).SkipReason);
    }

    [TestMethod]
    public void Without_a_phone_number_nothing_is_sent() =>
        Assert.AreEqual("NoPhoneNumber", OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.phone", null)).SkipReason);

    [TestMethod]
    [DataRow("015112345678", DisplayName = "national format without +")]
    [DataRow("+0049151123456", DisplayName = "country code starting with 0")]
    [DataRow("+1234567", DisplayName = "7 digits")]
    [DataRow("+1234567890123456", DisplayName = "16 digits")]
    [DataRow("+49 151 1234567", DisplayName = "spaces")]
    [DataRow("+49151abc4567", DisplayName = "letters")]
    [DataRow("+４９15112345678", DisplayName = "full-width digits")]
    public void An_invalid_number_is_reported_masked(string phone)
    {
        var sms = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.phone", phone));

        Assert.IsFalse(sms.ShouldSend);
        Assert.AreEqual("InvalidPhoneNumber", sms.SkipReason);
        var error = sms.Errors.Single();
        Assert.AreEqual("data.customer.phone", error.Path);
        Assert.IsFalse(error.Message.Contains(phone, StringComparison.Ordinal), "the full number never appears in messages");
    }

    [TestMethod]
    [DataRow("+12345678")]
    [DataRow("+123456789012345")]
    public void Eight_to_fifteen_digits_are_accepted(string phone) =>
        Assert.IsTrue(OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.phone", phone)).ShouldSend);

    [TestMethod]
    public void An_invalid_sender_number_is_reported() =>
        Assert.AreEqual("InvalidFromNumber", OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event(), fromNumber: "Contoso").SkipReason);

    [TestMethod]
    public void A_wrongly_typed_opt_in_or_an_unknown_event_is_an_invalid_event()
    {
        var wrongType = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.smsOptIn", "yes"));
        var unknown = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event("OrderShipped"));

        Assert.AreEqual("InvalidOrderEvent", wrongType.SkipReason);
        Assert.AreEqual("WrongType", wrongType.Errors.Single().Code);
        Assert.AreEqual("UnknownEventType", unknown.Errors.Single().Code);
    }

    [TestMethod]
    public void Cancellation_and_update_have_their_own_default_texts()
    {
        var functions = OrderEventSamples.Functions();
        StringAssert.Contains(functions.MapToSms(OrderEventSamples.Event("OrderCancelled")).Body, "was cancelled");
        StringAssert.Contains(functions.MapToSms(OrderEventSamples.Event("OrderUpdated")).Body, "was updated");
    }
}
