using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Contracts;

[TestClass]
public sealed class When_an_event_is_validated_every_violation_is_reported
{
    [TestMethod]
    public void When_quantity_is_zero_the_validator_reports_the_line_path()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["data"]!["lines"]![1]!["quantity"] = 0;

        var result = OrderEventValidator.Validate(orderEvent);

        Assert.IsFalse(result.IsValid);
        var error = result.Errors.Single();
        Assert.AreEqual("$.data.lines[1].quantity", error.Path);
        Assert.AreEqual(ContractErrorCodes.NotPositive, error.Code);
        StringAssert.Contains(error.Message, "greater than 0");
    }

    [TestMethod]
    public void When_many_fields_are_wrong_every_violation_is_reported_not_only_the_first()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["occurredUtc"] = "2025-03-01T10:30:00+01:00";
        orderEvent["data"]!["currency"] = "EURO";
        orderEvent["data"]!["customer"]!["phone"] = "0151 1234567";
        orderEvent["data"]!["lines"]![0]!["quantity"] = -1;
        ((JObject)orderEvent["data"]!).Remove("accountId");

        var codes = OrderEventValidator.Validate(orderEvent).Errors.Select(e => $"{e.Path} {e.Code}").ToArray();

        CollectionAssert.AreEquivalent(new[]
        {
            "$.occurredUtc NotUtc", "$.data.currency InvalidCurrency", "$.data.customer.phone InvalidPhoneNumber",
            "$.data.lines[0].quantity NotPositive", "$.data.accountId Required",
        }, codes);
    }

    [TestMethod]
    public void A_valid_event_reports_its_identity_for_logging_and_routing()
    {
        var result = OrderEventValidator.Validate(Samples.ValidEvent());

        Assert.IsTrue(result.IsValid);
        Assert.AreEqual(0, result.Errors.Count);
        Assert.AreEqual("OrderCreated", result.EventType);
        Assert.AreEqual("1.0", result.SchemaVersion);
        Assert.AreEqual("order-100482-created-v1", result.MessageId);
        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", result.CorrelationId);
        Assert.AreEqual("100482", result.OrderId);
    }

    [TestMethod]
    public void An_invalid_field_is_not_reported_as_the_events_identity()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["messageId"] = "order 100482";

        var result = OrderEventValidator.Validate(orderEvent);

        Assert.IsNull(result.MessageId);
        Assert.AreEqual("100482", result.OrderId);
    }

    [TestMethod]
    public void When_the_event_type_is_unknown_only_that_is_reported_because_no_contract_applies()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["eventType"] = "OrderShipped";
        orderEvent["data"]!["lines"]![0]!["quantity"] = 0;

        var result = OrderEventValidator.Validate(orderEvent);

        Assert.AreEqual("$.eventType UnknownEventType", result.Errors.Select(e => $"{e.Path} {e.Code}").Single());
        Assert.IsNull(result.Contract);
    }

    [TestMethod]
    public void A_known_minor_version_is_accepted_and_its_additions_are_checked()
    {
        var orderEvent = Samples.ValidEvent("OrderCreated.v1.1.promised-delivery-date");
        Assert.IsTrue(OrderEventValidator.Validate(orderEvent).IsValid);

        orderEvent["data"]!["promisedDeliveryDate"] = "2025-02-29";
        var error = OrderEventValidator.Validate(orderEvent).Errors.Single();

        Assert.AreEqual(("$.data.promisedDeliveryDate", ContractErrorCodes.InvalidDate), (error.Path, error.Code));
    }

    [TestMethod]
    public void An_unknown_minor_version_and_an_unknown_major_version_get_different_codes()
    {
        var minor = Samples.ValidEvent();
        minor["schemaVersion"] = "1.2";
        var major = Samples.ValidEvent();
        major["schemaVersion"] = "3.0";

        Assert.AreEqual(ContractErrorCodes.UnknownSchemaMinorVersion, OrderEventValidator.Validate(minor).Errors.Single().Code);
        Assert.AreEqual(ContractErrorCodes.UnsupportedSchemaMajorVersion, OrderEventValidator.Validate(major).Errors.Single().Code);
    }

    [TestMethod]
    public void Unicode_text_is_valid_and_its_length_counts_code_points_not_utf16_units()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["data"]!["customer"]!["name"] = string.Concat(Enumerable.Repeat("😀", 200)); // 400 UTF-16 units
        Assert.IsTrue(OrderEventValidator.Validate(orderEvent).IsValid);

        orderEvent["data"]!["customer"]!["name"] = string.Concat(Enumerable.Repeat("😀", 201));
        Assert.AreEqual(ContractErrorCodes.TooLong, OrderEventValidator.Validate(orderEvent).Errors.Single().Code);
    }

    [TestMethod]
    public void A_control_character_anywhere_in_free_text_is_reported_at_its_field()
    {
        foreach (var control in new[] { "\u0000", "\u0009", "\u000A", "\u001B", "\u001F", "\u007F", "\u009B", "\u009F" })
        {
            var orderEvent = Samples.ValidEvent();
            orderEvent["data"]!["shipTo"]!["street"] = $"Haupt{control}straße 5";

            var error = OrderEventValidator.Validate(orderEvent).Errors.Single();

            Assert.AreEqual(("$.data.shipTo.street", ContractErrorCodes.ControlCharacter), (error.Path, error.Code), $"U+{(int)control[0]:X4}");
            Assert.IsFalse(error.Message.Contains(control, StringComparison.Ordinal), "the message must not echo the control character");
        }
        foreach (var printable in new[] { " ", "~", "\u00A0", "\u00E9" }) // the neighbours of the two control ranges
        {
            var orderEvent = Samples.ValidEvent();
            orderEvent["data"]!["shipTo"]!["street"] = $"Haupt{printable}straße 5";

            Assert.IsTrue(OrderEventValidator.Validate(orderEvent).IsValid, $"U+{(int)printable[0]:X4}");
        }
    }

    [TestMethod]
    public void Phone_numbers_must_be_e164()
    {
        foreach (var (phone, valid) in new[]
        {
            ("+4915112345678", true), ("+14155550123", true), ("+6834002", true),
            ("004915112345678", false), ("+49 151 12345678", false), ("+49-151-12345678", false), ("+0151123456", false),
            ("+123456", false), ("+1234567890123456", false), ("+４９１５１１２３４５６７８", false), ("", false),
        })
        {
            var orderEvent = Samples.ValidEvent();
            orderEvent["data"]!["customer"]!["phone"] = phone;
            var result = OrderEventValidator.Validate(orderEvent);
            Assert.AreEqual(valid, result.IsValid, $"'{phone}': {string.Join("; ", result.Errors)}");
            if (!valid) Assert.AreEqual("$.data.customer.phone", result.Errors.Single().Path);
        }
    }

    [TestMethod]
    public void Timestamps_must_be_rfc3339_in_utc_with_the_z_designator()
    {
        foreach (var (text, code) in new[]
        {
            ("2025-03-01T09:30:00Z", null), ("2025-03-01T09:30:00.1234567Z", null), ("2024-02-29T23:59:59Z", null),
            ("2025-03-01T09:30:00+00:00", ContractErrorCodes.NotUtc), ("2025-03-01T09:30:00-05:00", ContractErrorCodes.NotUtc),
            ("2025-03-01T09:30:00", ContractErrorCodes.NotUtc), ("2025-03-01t09:30:00z", ContractErrorCodes.InvalidTimestamp),
            ("2025-03-01T09:30:00.12345678Z", ContractErrorCodes.InvalidTimestamp), ("2025-03-01T24:00:00Z", ContractErrorCodes.InvalidTimestamp),
            ("2023-02-29T09:30:00Z", ContractErrorCodes.InvalidTimestamp), ("2025-03-01", ContractErrorCodes.InvalidTimestamp),
            ("2025-03-01T09:30:60Z", ContractErrorCodes.InvalidTimestamp), ("２０２５-03-01T09:30:00Z", ContractErrorCodes.InvalidTimestamp),
        })
        {
            var orderEvent = Samples.ValidEvent();
            orderEvent["occurredUtc"] = text;
            var result = OrderEventValidator.Validate(orderEvent);
            Assert.AreEqual(code, result.Errors.SingleOrDefault()?.Code, $"'{text}'");
        }
    }

    [TestMethod]
    public void Dates_already_parsed_by_newtonsoft_are_accepted_in_utc_and_reported_otherwise()
    {
        var utc = Samples.ValidEvent();
        utc["occurredUtc"] = new JValue(new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Utc));
        var local = Samples.ValidEvent();
        local["occurredUtc"] = new JValue(new DateTimeOffset(2025, 3, 1, 10, 30, 0, TimeSpan.FromHours(1)));

        Assert.IsTrue(OrderEventValidator.Validate(utc).IsValid);
        Assert.AreEqual(ContractErrorCodes.NotUtc, OrderEventValidator.Validate(local).Errors.Single().Code);
    }

    [TestMethod]
    public void More_lines_than_allowed_are_reported_once_at_the_array()
    {
        var orderEvent = Samples.ValidEvent();
        var line = orderEvent["data"]!["lines"]![0]!;
        orderEvent["data"]!["lines"] = new JArray(Enumerable.Range(0, OrderEventValidator.MaxLines + 1).Select(_ => line.DeepClone()));

        var error = OrderEventValidator.Validate(orderEvent).Errors.Single();

        Assert.AreEqual(("$.data.lines", ContractErrorCodes.TooManyItems), (error.Path, error.Code));
    }

    [TestMethod]
    public void When_there_are_more_violations_than_the_limit_the_list_ends_with_one_summary()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["data"]!["lines"] = new JArray(Enumerable.Range(0, 500).Select(_ => new JObject { ["sku"] = "A", ["quantity"] = 0, ["unitPrice"] = 1 }));

        var errors = OrderEventValidator.Validate(orderEvent).Errors;

        Assert.AreEqual(OrderEventValidator.MaxErrors + 1, errors.Count);
        Assert.AreEqual(ContractErrorCodes.ErrorLimitReached, errors[^1].Code);
        Assert.AreEqual("$.data.lines[99].quantity", errors[^2].Path);
    }

    [TestMethod]
    public void Odd_property_names_are_quoted_in_the_path()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["data"]!["customer"]!["it's"] = 1;
        orderEvent["data"]!["customer"]!["名前"] = 1;

        var paths = OrderEventValidator.Validate(orderEvent).Errors.Select(e => e.Path).ToArray();

        CollectionAssert.AreEquivalent(new[] { "$.data.customer['it\\'s']", "$.data.customer['名前']" }, paths);
    }
}
