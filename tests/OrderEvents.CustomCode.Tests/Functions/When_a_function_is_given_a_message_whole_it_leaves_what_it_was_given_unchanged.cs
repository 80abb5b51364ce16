using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Alerts;
using OrderEvents.CustomCode.Tests.Mapping;
using OrderEvents.CustomCode.Tests.Mapping.Sap;
using TestSupport;

namespace OrderEvents.CustomCode.Tests.Functions;

/// <summary>
/// The local runtime hands a function its parameters without a copy: a message passed whole (<c>"message":
/// "@triggerBody()"</c>) is the trigger's body itself, which the run's history records as the action's inputs too
/// (IFunctionInvoker; docs/runtime/engine.md, "Values passed whole to a function"). So each function a workflow hands a
/// message, an order event or a dead letter must only read it: after the call, every parameter is as it was given.
/// </summary>
[TestClass]
public sealed class When_a_function_is_given_a_message_whole_it_leaves_what_it_was_given_unchanged
{
    private FunctionCatalog catalog = null!;

    [TestInitialize]
    public void CreateCatalog() =>
        catalog = new FunctionCatalog(new OrderEventFunctions(new CustomCodeServices(new InMemoryObjectStore(), new ManualClock(), new CustomCodeOptions())));

    [TestMethod]
    [DataRow("PrepareSapSalesOrder", "OrderCreated")]
    [DataRow("PrepareSapSalesOrder", "OrderUpdated")]
    [DataRow("PrepareSapSalesOrder", "OrderCancelled")]
    [DataRow("PrepareSms", "OrderCreated")]
    [DataRow("PrepareWarehouseRequest", "OrderCreated")]
    [DataRow("PrepareWarehouseRequest", "OrderCancelled")]
    [DataRow("ArchiveOrderEvent", "OrderCreated")]
    [DataRow("PrepareToPublish", "OrderCreated")]
    [DataRow("BuildDeadLetterAlertCard", "OrderCreated")]
    [DataRow("ArchiveDeadLetter", "OrderCreated")]
    public async Task The_parameters_are_unchanged_after_the_call(string function, string eventType)
    {
        var parameters = Parameters(function, OrderEventSamples.Event(eventType));
        var given = (JObject)parameters.DeepClone();

        var result = await catalog.InvokeAsync(function, parameters);

        Assert.IsNotNull(result, function);
        Assert.IsTrue(JToken.DeepEquals(given, parameters), $"{function} changed what it was given:\n{parameters}\nwas:\n{given}");
    }

    // The parameters as the workflows pass them (workflows/*/workflow.json).
    private static JObject Parameters(string function, JObject orderEvent) => function switch
    {
        "PrepareSapSalesOrder" => new JObject
        {
            ["message"] = SapFulfillmentSteps.Message(orderEvent), ["consumer"] = "sap-fulfillment", ["salesOrganization"] = "1000",
            ["distributionChannel"] = "10", ["division"] = "00", ["documentType"] = "TA", ["leaseSeconds"] = 900, ["owner"] = "run-1",
        },
        "PrepareSms" => new JObject { ["message"] = SapFulfillmentSteps.Message(orderEvent), ["consumer"] = "sms-notification", ["owner"] = "run-1" },
        "PrepareWarehouseRequest" => new JObject { ["message"] = SapFulfillmentSteps.Message(orderEvent), ["consumer"] = "warehouse-inventory", ["owner"] = "run-1" },
        "ArchiveOrderEvent" => new JObject { ["message"] = SapFulfillmentSteps.Message(orderEvent) },
        "PrepareToPublish" => new JObject { ["orderEvent"] = orderEvent, ["correlationIdHeader"] = "corr-1", ["runName"] = "run-1" },
        "BuildDeadLetterAlertCard" => new JObject { ["subscriber"] = "sap-fulfillment", ["deadLetter"] = When_a_dead_letter_is_alerted_the_card_shows_its_facts.DeadLetter(orderEvent) },
        "ArchiveDeadLetter" => new JObject { ["subscriber"] = "sap-fulfillment", ["deadLetter"] = When_a_dead_letter_is_alerted_the_card_shows_its_facts.DeadLetter(orderEvent) },
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };
}
