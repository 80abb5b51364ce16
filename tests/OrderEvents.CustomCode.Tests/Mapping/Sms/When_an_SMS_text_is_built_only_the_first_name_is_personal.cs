using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

[TestClass]
public sealed class When_an_SMS_text_is_built_only_the_first_name_is_personal
{
    [TestMethod]
    public void The_default_texts_never_contain_address_email_or_phone()
    {
        var functions = OrderEventSamples.Functions();
        foreach (var eventType in new[] { "OrderCreated", "OrderUpdated", "OrderCancelled" })
        {
            var body = functions.MapToSms(OrderEventSamples.Event(eventType)).Body!;
            foreach (var personal in new[] { "Schmidt", "anna.schmidt@example.com", "+4915112345678", "Hauptstr", "Berlin", "10115" })
                Assert.IsFalse(body.Contains(personal, StringComparison.Ordinal), $"{eventType} text contains '{personal}'");
        }
    }

    [TestMethod]
    public void A_template_override_is_used_for_its_event_type()
    {
        var templates = new JObject { ["OrderCreated"] = "Order {orderId}: {amount} {currency}. Thanks, {firstName}!" };

        var sms = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event(), templates);

        Assert.AreEqual("Order SO-100482: 149.90 EUR. Thanks, Anna!", sms.Body);
    }

    [TestMethod]
    public void A_template_with_an_unknown_placeholder_is_rejected()
    {
        var templates = new JObject { ["OrderCreated"] = "Shipping to {street} for {email}" };

        var sms = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event(), templates);

        Assert.IsFalse(sms.ShouldSend);
        Assert.AreEqual("InvalidTemplate", sms.SkipReason);
        CollectionAssert.AreEqual(new[] { "UnknownPlaceholder", "UnknownPlaceholder" }, sms.Errors.Select(e => e.Code).ToArray());
        Assert.AreEqual("templates.OrderCreated", sms.Errors[0].Path);
    }

    [TestMethod]
    public void Unbalanced_braces_unknown_keys_and_wrong_types_in_templates_are_rejected()
    {
        var functions = OrderEventSamples.Functions();
        Assert.AreEqual("UnbalancedBrace", functions.MapToSms(OrderEventSamples.Event(), new JObject { ["OrderCreated"] = "Hi {firstName" }).Errors.Single().Code);
        Assert.AreEqual("UnknownEventType", functions.MapToSms(OrderEventSamples.Event(), new JObject { ["OrderShipped"] = "x" }).Errors.Single().Code);
        Assert.AreEqual("WrongType", functions.MapToSms(OrderEventSamples.Event(), new JArray()).Errors.Single().Code);
        Assert.AreEqual("WrongType", functions.MapToSms(OrderEventSamples.Event(), new JObject { ["OrderCreated"] = 5 }).Errors.Single().Code);
    }

    [TestMethod]
    public void A_name_that_looks_like_contact_data_is_replaced_by_a_neutral_word()
    {
        var functions = OrderEventSamples.Functions();
        StringAssert.StartsWith(functions.MapToSms(OrderEventSamples.Event().With("data.customer.name", "anna@example.com")).Body, "Hi there,");
        StringAssert.StartsWith(functions.MapToSms(OrderEventSamples.Event().With("data.customer.name", "+49151 Anna")).Body, "Hi there,");
        StringAssert.StartsWith(functions.MapToSms(OrderEventSamples.Event().With("data.customer.name", "")).Body, "Hi there,");
    }

    [TestMethod]
    public void Control_characters_in_the_name_are_stripped()
    {
        var sms = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.name", "\u0007Anna\u0000 Schmidt"));

        StringAssert.StartsWith(sms.Body, "Hi Anna,");
        Assert.IsFalse(sms.Body!.Any(char.IsControl));
    }
}
