using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Settlement;

namespace OrderEvents.CustomCode.Functions;

public sealed partial class OrderEventFunctions
{
    /// <summary>complete / abandon / defer / deadLetter for a subscriber's message, from its processing outcome.
    /// The counts are JSON because the built-in trigger may hand <c>deliveryCount</c> over as a string.</summary>
    [WorkflowFunction("DecideSettlement")]
    public SettlementDecision DecideSettlement(string? outcome, JToken? deliveryCount, JToken? maxDeliveryCount, JToken? detail = null) =>
        SettlementPolicy.Decide(outcome, deliveryCount, maxDeliveryCount, detail);
}
