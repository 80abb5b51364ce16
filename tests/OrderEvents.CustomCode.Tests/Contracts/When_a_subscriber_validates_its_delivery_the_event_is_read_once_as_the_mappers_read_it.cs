using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Mapping;
using OrderEvents.CustomCode.Tests.Contracts.Support;
using OrderEvents.CustomCode.Tests.Mapping;

namespace OrderEvents.CustomCode.Tests.Contracts;

/// <summary>
/// A subscriber validates its delivery and then maps it. The validation reads the event for the mappers while it
/// checks it (docs/custom-code.md, "One walk of the event"): what it reads must be exactly what
/// <see cref="OrderEventReader"/> reads from the same JSON, whatever shape the JSON reader left the values in.
/// </summary>
[TestClass]
public sealed class When_a_subscriber_validates_its_delivery_the_event_is_read_once_as_the_mappers_read_it
{
    public static IEnumerable<object[]> ValidEvents()
    {
        foreach (var sample in Samples.Valid.Where(s => s.Json is JObject { } json && json["data"] is JObject))
        {
            yield return [sample.Name, sample.Json!.ToString(Formatting.None)];
        }
        yield return ["OrderEventSamples.Event", OrderEventSamples.Event().ToString(Formatting.None)];
        yield return ["OrderEventSamples.Event cancelled", OrderEventSamples.Event("OrderCancelled").ToString(Formatting.None)];
    }

    [TestMethod]
    [DynamicData(nameof(ValidEvents))]
    public void A_valid_event_is_read_as_the_reader_reads_it(string name, string text)
    {
        // As the subscribers parse it (dates as text, numbers as decimals) and as Newtonsoft's defaults do (dates, doubles).
        Assert.IsTrue(OrderEventJson.TryParse(text, out var contractParsed, out _), name);
        foreach (var json in new[] { contractParsed!, JToken.Parse(text) })
        {
            var validation = OrderEventValidator.Validate(json, readEvent: true);

            Assert.IsTrue(validation.IsValid, name);
            Assert.IsNotNull(validation.Event, name);
            foreach (var requirement in new[] { LineRequirement.Optional, LineRequirement.AtLeastOne })
            {
                var read = OrderEventReader.Read(json, requirement);
                Assert.IsTrue(read.IsUsable, name);
                Assert.IsTrue(JToken.DeepEquals(JToken.FromObject(read.Event!), JToken.FromObject(validation.Event)),
                    $"{name}: the validation read {JToken.FromObject(validation.Event)}, the reader {JToken.FromObject(read.Event!)}");
                Assert.AreSame(validation.Event, OrderEventReader.Read(json, requirement, validation.Event).Event);
            }
        }
    }

    [TestMethod]
    public void An_invalid_event_a_claim_check_or_a_plain_validation_reads_nothing()
    {
        var invalid = OrderEventSamples.Event();
        invalid["data"]!["lines"]![0]!["quantity"] = 0;
        var claimCheck = Samples.Valid.FirstOrDefault(s => s.Json is JObject json && json["payloadReference"] is JObject);

        Assert.IsNull(OrderEventValidator.Validate(invalid, readEvent: true).Event);
        Assert.IsNull(OrderEventValidator.Validate(OrderEventSamples.Event(), readEvent: false).Event);
        Assert.IsNull(OrderEventValidator.Validate(OrderEventSamples.Event()).Event);
        if (claimCheck is not null) Assert.IsNull(OrderEventValidator.Validate(claimCheck.Json, readEvent: true).Event);
    }

    [TestMethod]
    public void The_reader_reads_the_json_itself_when_the_validation_read_nothing()
    {
        var json = OrderEventSamples.Event();
        json["data"]!["lines"] = new JArray();

        var read = OrderEventReader.Read(json, LineRequirement.AtLeastOne, validated: null);

        Assert.AreEqual("NoLines", read.Errors.Single().Code);
    }
}
