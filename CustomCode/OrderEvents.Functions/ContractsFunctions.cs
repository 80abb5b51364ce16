using Microsoft.Azure.Functions.Extensions.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace OrderEvents.Functions;

/// <summary>Message contracts: entry points that delegate to <c>OrderEventFunctions</c>.</summary>
public class ContractsFunctions(ILoggerFactory loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<ContractsFunctions>();

    [Function("ValidateOrderEvent")]
    public Task<JToken> ValidateOrderEvent([WorkflowActionTrigger] JToken orderEvent)
    {
        logger.LogDebug("ValidateOrderEvent invoked");
        return Task.FromResult(FunctionResults.ToBody(CustomCodeStartup.Functions.ValidateOrderEvent(orderEvent)));
    }

    [Function("BuildServiceBusMessage")]
    public Task<JToken> BuildServiceBusMessage([WorkflowActionTrigger] JToken orderEvent, string? correlationId = null)
    {
        logger.LogDebug("BuildServiceBusMessage invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.BuildServiceBusMessage(orderEvent, correlationId));
    }

    [Function("ReadOrderMessage")]
    public Task<JToken> ReadOrderMessage([WorkflowActionTrigger] JToken contentData, string? contentType = null)
    {
        logger.LogDebug("ReadOrderMessage invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.ReadOrderMessage(contentData, contentType));
    }

    [Function("PrepareToPublish")]
    public Task<JToken> PrepareToPublish([WorkflowActionTrigger] JToken? orderEvent, JToken? correlationIdHeader = null, JToken? clientPrincipalId = null, JToken? runName = null)
    {
        logger.LogDebug("PrepareToPublish invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.PrepareToPublish(orderEvent, correlationIdHeader, clientPrincipalId, runName));
    }
}
