using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Messaging;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Messaging;

[TestClass]
public sealed class ServiceBusMessageBuilder_Specs
{
    private static Task<BuildMessageResult> Build(JToken? orderEvent, string? correlationId = null) =>
        new ServiceBusMessageBuilder(Services.InMemory()).BuildAsync(orderEvent, correlationId);

    [TestMethod]
    public async Task A_valid_event_becomes_a_message_keyed_by_its_business_operation_and_sessioned_by_order()
    {
        var orderEvent = Samples.ValidEvent();

        var result = await Build(orderEvent);

        Assert.IsTrue(result.IsValid);
        var message = result.Message!;
        Assert.AreEqual("order-100482-created-v1", message.MessageId);
        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", message.CorrelationId);
        Assert.AreEqual("100482", message.SessionId);
        Assert.AreEqual("application/json", message.ContentType);
        Assert.IsTrue(JToken.DeepEquals(orderEvent, message.ContentData), "the body is the event itself");
        Assert.IsFalse(result.ClaimCheck);
        Assert.IsNull(result.PayloadReference);
    }

    [TestMethod]
    public async Task The_user_properties_carry_what_subscription_filters_route_on()
    {
        var result = await Build(Samples.ValidEvent());

        var properties = result.Message!.UserProperties;
        Assert.AreEqual("OrderCreated", properties[OrderMessageProperties.EventType]);
        Assert.AreEqual("power-platform/dataverse", properties[OrderMessageProperties.Source]);
        Assert.AreEqual("1.0", properties[OrderMessageProperties.SchemaVersion]);
        Assert.AreEqual("100482", properties[OrderMessageProperties.OrderId]);
        Assert.AreEqual(true, properties[OrderMessageProperties.SmsOptIn]);
        Assert.AreEqual(true, properties[OrderMessageProperties.HasPhone]);
        Assert.AreEqual(false, properties[OrderMessageProperties.ClaimCheck]);
    }

    [TestMethod]
    public async Task A_customer_without_phone_or_consent_is_routed_as_such()
    {
        var withoutPhone = await Build(Samples.ValidEvent("OrderCreated.customer-without-phone-or-opt-in"));
        var optInWithoutPhone = await Build(Samples.ValidEvent("OrderUpdated.opt-in-without-phone"));

        Assert.AreEqual(false, withoutPhone.Message!.UserProperties[OrderMessageProperties.SmsOptIn]);
        Assert.AreEqual(false, withoutPhone.Message.UserProperties[OrderMessageProperties.HasPhone]);
        Assert.AreEqual(true, optInWithoutPhone.Message!.UserProperties[OrderMessageProperties.SmsOptIn]);
        Assert.AreEqual(false, optInWithoutPhone.Message.UserProperties[OrderMessageProperties.HasPhone]);
    }

    [TestMethod]
    public async Task The_callers_correlation_id_wins_and_is_written_into_the_body_too()
    {
        var result = await Build(Samples.ValidEvent(), correlationId: "intake-7f3a9c");

        Assert.AreEqual("intake-7f3a9c", result.Message!.CorrelationId);
        Assert.AreEqual("intake-7f3a9c", (string?)result.Message.ContentData["correlationId"]);
    }

    [TestMethod]
    public async Task A_blank_correlation_id_parameter_keeps_the_events_own()
    {
        var result = await Build(Samples.ValidEvent(), correlationId: "  ");

        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", result.Message!.CorrelationId);
    }

    [TestMethod]
    public async Task An_invalid_correlation_id_parameter_is_named_as_a_parameter_error()
    {
        var result = await Build(Samples.ValidEvent(), correlationId: "bad id\r\nX-Injected: 1");

        Assert.IsFalse(result.IsValid);
        Assert.IsNull(result.Message);
        Assert.AreEqual(("correlationId", ContractErrorCodes.InvalidCorrelationId), (result.Errors.Single().Path, result.Errors.Single().Code));
    }

    [TestMethod]
    public async Task The_callers_event_object_is_not_modified()
    {
        var orderEvent = Samples.ValidEvent();
        var before = orderEvent.DeepClone();

        await Build(orderEvent, correlationId: "intake-7f3a9c");

        Assert.IsTrue(JToken.DeepEquals(before, orderEvent));
    }

    [TestMethod]
    public async Task An_invalid_event_gives_all_its_errors_and_no_message()
    {
        foreach (var sample in Samples.Invalid)
        {
            var result = await Build(sample.Json);

            Assert.IsFalse(result.IsValid, sample.Name);
            Assert.IsNull(result.Message, sample.Name);
            CollectionAssert.AreEquivalent(sample.ExpectedErrors.Select(e => $"{e.Path} {e.Code}").ToArray(),
                result.Errors.Select(e => $"{e.Path} {e.Code}").ToArray(), sample.Name);
        }
    }

    [TestMethod]
    public async Task Every_valid_sample_becomes_a_message_whose_body_is_valid()
    {
        var store = new OrderEvents.CustomCode.Storage.InMemoryObjectStore();
        var builder = new ServiceBusMessageBuilder(Services.InMemory(store));
        var claimCheckEnvelope = await ClaimCheckTestData.StorePayloadOfTheClaimCheckSample(store);
        foreach (var sample in Samples.Valid)
        {
            var orderEvent = sample.Name == "OrderCreated.claim-check" ? claimCheckEnvelope : sample.Json;
            var result = await builder.BuildAsync(orderEvent, null);

            Assert.IsTrue(result.IsValid, $"{sample}: {string.Join("; ", result.Errors)}");
            Assert.IsTrue(OrderEventValidator.Validate(result.Message!.ContentData).IsValid, sample.Name);
        }
    }
}
