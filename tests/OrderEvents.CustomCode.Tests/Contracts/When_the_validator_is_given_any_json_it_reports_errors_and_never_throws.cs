using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Contracts;

[TestClass]
public sealed class When_the_validator_is_given_any_json_it_reports_errors_and_never_throws
{
    [TestMethod]
    public void Null_and_json_values_that_are_not_objects_are_reported_at_the_root()
    {
        foreach (var value in new JToken?[] { null, JValue.CreateNull(), JValue.CreateUndefined(), new JValue(42), new JValue("text"), new JValue(true), new JArray(), new JArray(Samples.ValidEvent()), new JValue(new byte[] { 1, 2 }) })
        {
            var result = OrderEventValidator.Validate(value);
            Assert.IsFalse(result.IsValid);
            Assert.AreEqual(("$", ContractErrorCodes.WrongType), (result.Errors.Single().Path, result.Errors.Single().Code), value?.Type.ToString() ?? "C# null");
        }
    }

    [TestMethod]
    public void An_empty_object_is_told_which_contract_fields_identify_it()
    {
        var codes = OrderEventValidator.Validate(new JObject()).Errors.Select(e => $"{e.Path} {e.Code}").ToArray();

        CollectionAssert.AreEquivalent(new[] { "$.eventType Required", "$.schemaVersion Required" }, codes);
    }

    [TestMethod]
    public void Deeply_nested_values_are_rejected_without_descending_into_them()
    {
        // Built without parents on purpose: Newtonsoft's own DeepClone recurses and would overflow the stack.
        static JToken Nest(int depth)
        {
            JToken nested = new JValue(1);
            for (var i = 0; i < depth; i++) nested = new JArray(nested);
            return nested;
        }
        var orderEvent = Samples.ValidEvent();
        orderEvent["data"]!["customer"] = Nest(5_000);
        orderEvent["data"]!["extra"] = new JObject { ["deep"] = Nest(5_000) };

        var codes = OrderEventValidator.Validate(orderEvent).Errors.Select(e => $"{e.Path} {e.Code}").ToArray();

        CollectionAssert.AreEquivalent(new[] { "$.data.customer WrongType", "$.data.extra UnknownProperty" }, codes);
    }

    [TestMethod]
    public void Huge_strings_and_huge_numbers_are_reported_with_short_messages()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["data"]!["customer"]!["name"] = new string('x', 10_000_000);
        orderEvent["data"]!["amount"] = new JValue(System.Numerics.BigInteger.Pow(10, 400));
        // Removed first: Newtonsoft compares old and new value on assignment and overflows on Infinity vs decimal.
        ((JObject)orderEvent["data"]!["lines"]![0]!).Remove("unitPrice");
        ((JObject)orderEvent["data"]!["lines"]![1]!).Remove("quantity");
        orderEvent["data"]!["lines"]![0]!["unitPrice"] = new JValue(double.PositiveInfinity);
        orderEvent["data"]!["lines"]![1]!["quantity"] = new JValue(double.NaN);

        var errors = OrderEventValidator.Validate(orderEvent).Errors;

        CollectionAssert.AreEquivalent(
            new[] { "$.data.customer.name TooLong", "$.data.amount TooLarge", "$.data.lines[0].unitPrice WrongType", "$.data.lines[1].quantity WrongType" },
            errors.Select(e => $"{e.Path} {e.Code}").ToArray());
        Assert.IsTrue(errors.All(e => e.Message.Length < 300), "messages must not echo huge values");
    }

    [TestMethod]
    public void Every_value_of_every_field_replaced_by_every_json_type_gives_errors_not_exceptions()
    {
        var replacements = new JToken[] { JValue.CreateNull(), new JValue(-1), new JValue(0.5), new JValue(""), new JValue("\u0000"), new JValue(false), new JArray(), new JObject(), new JArray(new JObject()) };
        foreach (var sampleName in new[] { "OrderCreated.standard", "OrderCancelled.with-reason", "OrderCreated.claim-check", "OrderCreated.v1.1.promised-delivery-date" })
        {
            var sample = Samples.ValidEvent(sampleName);
            var paths = sample.Descendants().Where(t => t is JValue or JObject or JArray).Select(t => t.Path).Distinct().ToArray();
            foreach (var path in paths)
            {
                foreach (var replacement in replacements)
                {
                    var orderEvent = (JObject)sample.DeepClone();
                    orderEvent.SelectToken(path)!.Replace(replacement.DeepClone());
                    var result = OrderEventValidator.Validate(orderEvent);
                    Assert.IsFalse(result.Errors.Any(e => e.Code == ContractErrorCodes.ValidatorFault), $"{sampleName} {path} := {replacement}");
                    if (!result.IsValid) Assert.IsTrue(result.Errors.All(e => e.Path.StartsWith('$')), $"{sampleName} {path}");
                }
            }
        }
    }
}
