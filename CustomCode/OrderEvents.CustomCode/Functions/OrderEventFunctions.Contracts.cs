using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Messaging;

namespace OrderEvents.CustomCode.Functions;

/// <summary>The contract functions: validate an event, publish it, and read it back on the subscriber side.</summary>
public sealed partial class OrderEventFunctions
{
    /// <summary>Checks an order event against its contract version; every violation with path, code and message.</summary>
    [WorkflowFunction("ValidateOrderEvent")]
    public OrderEventValidation ValidateOrderEvent(JToken orderEvent) => OrderEventValidator.Validate(orderEvent);

    /// <summary>The <c>message</c> for the built-in Service Bus <c>sendMessage</c> action, claim-checking large orders.</summary>
    [WorkflowFunction("BuildServiceBusMessage")]
    public Task<BuildMessageResult> BuildServiceBusMessage(JToken orderEvent, string? correlationId = null, CancellationToken cancellationToken = default) =>
        new ServiceBusMessageBuilder(services).BuildAsync(orderEvent, correlationId, cancellationToken);

    /// <summary>Decodes a received message's <c>contentData</c>, resolves a claim check and validates the event.</summary>
    [WorkflowFunction("ReadOrderMessage")]
    public Task<ReadOrderMessageResult> ReadOrderMessage(JToken contentData, string? contentType = null, CancellationToken cancellationToken = default) =>
        new OrderMessageReader(services).ReadAsync(contentData, contentType, cancellationToken);
}
