using Microsoft.Azure.Functions.Extensions.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace OrderEvents.Functions;

/// <summary>Settlement decisions: the entry point that delegates to <c>OrderEventFunctions</c>.</summary>
public class SettlementFunctions(ILoggerFactory loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<SettlementFunctions>();

    [Function("DecideSettlement")]
    public Task<JToken> DecideSettlement([WorkflowActionTrigger] string? outcome, JToken? deliveryCount, JToken? maxDeliveryCount, JToken? detail = null,
        string? consumer = null, string? key = null, string? claimToken = null, JToken? result = null, JToken? outcomeUnknown = null)
    {
        logger.LogDebug("DecideSettlement invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.DecideSettlement(outcome, deliveryCount, maxDeliveryCount, detail, consumer, key, claimToken, result, outcomeUnknown));
    }
}
