using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping.Sap;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

[TestClass]
public sealed class When_the_SAP_input_is_bad_the_mapper_names_the_problem
{
    private static SapSalesOrderRequest Map(JToken? orderEvent, string salesOrg = "1000") =>
        OrderEventSamples.Functions().MapToSapSalesOrder(orderEvent!, salesOrg, "10", "00", "TA");

    private static void AssertError(SapSalesOrderRequest request, string path, string code)
    {
        Assert.IsFalse(request.ShouldCall);
        Assert.AreEqual("", request.Body);
        Assert.IsTrue(request.Errors.Any(e => e.Path == path && e.Code == code),
            $"expected {code} at {path}, got: {string.Join("; ", request.Errors.Select(e => $"{e.Path} {e.Code}"))}");
    }

    [TestMethod]
    public void A_zero_quantity_is_reported_at_its_line() =>
        AssertError(Map(OrderEventSamples.Event().With("data.lines", new JArray(new JObject { ["sku"] = "M", ["quantity"] = 0 }))), "data.lines[0].quantity", "NonPositiveQuantity");

    [TestMethod]
    public void A_negative_quantity_is_reported_at_its_line() =>
        AssertError(Map(OrderEventSamples.Event().With("data.lines", new JArray(new JObject { ["sku"] = "M", ["quantity"] = -3 }))), "data.lines[0].quantity", "NonPositiveQuantity");

    [TestMethod]
    public void A_quantity_given_as_text_is_a_wrong_type() =>
        AssertError(Map(OrderEventSamples.Event().With("data.lines", new JArray(new JObject { ["sku"] = "M", ["quantity"] = "2" }))), "data.lines[0].quantity", "WrongType");

    [TestMethod]
    public void More_than_three_decimals_cannot_be_an_SAP_quantity() =>
        AssertError(Map(OrderEventSamples.Event().With("data.lines", new JArray(new JObject { ["sku"] = "M", ["quantity"] = 1.2345m }))), "data.lines[0].quantity", "QuantityNotRepresentable");

    [TestMethod]
    public void A_missing_order_id_is_reported() =>
        AssertError(Map(OrderEventSamples.Event().With("data.orderId", null)), "data.orderId", "MissingField");

    [TestMethod]
    public void An_unknown_event_type_is_reported() =>
        AssertError(Map(OrderEventSamples.Event("OrderShipped")), "eventType", "UnknownEventType");

    [TestMethod]
    public void An_event_that_is_not_an_object_is_reported()
    {
        AssertError(Map(new JArray()), "", "NotAnObject");
        AssertError(Map(null), "", "NotAnObject");
    }

    [TestMethod]
    public void A_claim_check_must_be_resolved_first() =>
        AssertError(Map(OrderEventSamples.Event().With("data", null).With("payloadReference", new JObject { ["path"] = "x" })), "data", "ClaimCheckNotResolved");

    [TestMethod]
    public void Control_characters_in_a_SKU_are_rejected_not_sent_to_SAP() =>
        AssertError(Map(OrderEventSamples.Event().With("data.lines", new JArray(new JObject { ["sku"] = "M\u0001X", ["quantity"] = 1 }))), "data.lines[0].sku", "InvalidCharacter");

    [TestMethod]
    public void A_SKU_longer_than_the_material_field_is_rejected() =>
        AssertError(Map(OrderEventSamples.Event().With("data.lines", new JArray(new JObject { ["sku"] = new string('M', 19), ["quantity"] = 1 }))), "data.lines[0].sku", "TooLongForSap");

    [TestMethod]
    public void A_CRM_guid_as_customer_number_is_too_long_for_SAP() =>
        AssertError(Map(OrderEventSamples.Event().With("data.customerId", Guid.NewGuid().ToString())), "data.customerId", "CustomerNumberTooLong");

    [TestMethod]
    public void An_order_without_any_customer_number_is_reported() =>
        AssertError(Map(OrderEventSamples.Event().With("data.customerId", null).With("data.accountId", null)), "data.customerId", "MissingCustomerNumber");

    [TestMethod]
    public void A_currency_that_is_not_an_ISO_code_is_reported() =>
        AssertError(Map(OrderEventSamples.Event().With("data.currency", "euro")), "data.currency", "InvalidCurrency");

    [TestMethod]
    public void An_order_without_lines_is_reported() =>
        AssertError(Map(OrderEventSamples.Event().With("data.lines", new JArray())), "data.lines", "NoLines");

    [TestMethod]
    public void A_bad_timestamp_is_reported() =>
        AssertError(Map(OrderEventSamples.Event().With("occurredUtc", "yesterday")), "occurredUtc", "InvalidTimestamp");

    [TestMethod]
    public void Missing_or_oversized_configuration_is_reported()
    {
        AssertError(Map(OrderEventSamples.Event(), salesOrg: ""), "salesOrganization", "MissingConfiguration");
        AssertError(Map(OrderEventSamples.Event(), salesOrg: "10000"), "salesOrganization", "InvalidConfiguration");
    }
}
