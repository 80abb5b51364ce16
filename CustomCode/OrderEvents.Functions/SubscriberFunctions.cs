using Microsoft.Azure.Functions.Extensions.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace OrderEvents.Functions;

/// <summary>The subscribers' composed steps (read, claim, prepare; record the SAP result; archive): entry points that
/// delegate to <c>OrderEventFunctions</c>.</summary>
public class SubscriberFunctions(ILoggerFactory loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<SubscriberFunctions>();

    [Function("PrepareSapSalesOrder")]
    public Task<JToken> PrepareSapSalesOrder([WorkflowActionTrigger] JToken? message, string consumer, string salesOrganization, string distributionChannel,
        string division, string documentType, int leaseSeconds = 300, string rejectionReason = "10", string? owner = null)
    {
        logger.LogDebug("PrepareSapSalesOrder invoked for {Consumer}", consumer);
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.PrepareSapSalesOrder(message, consumer, salesOrganization, distributionChannel, division, documentType, leaseSeconds, rejectionReason, owner));
    }

    [Function("RecordSapResult")]
    public Task<JToken> RecordSapResult([WorkflowActionTrigger] JToken? callResult, string operation, JToken? cancellation = null)
    {
        logger.LogDebug("RecordSapResult invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.RecordSapResult(callResult, operation, cancellation));
    }

    [Function("PrepareSms")]
    public Task<JToken> PrepareSms([WorkflowActionTrigger] JToken? message, string consumer, JToken? templates = null, string? fromNumber = null, int leaseSeconds = 300, string? owner = null)
    {
        logger.LogDebug("PrepareSms invoked for {Consumer}", consumer);
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.PrepareSms(message, consumer, templates, fromNumber, leaseSeconds, owner));
    }

    [Function("PrepareWarehouseRequest")]
    public Task<JToken> PrepareWarehouseRequest([WorkflowActionTrigger] JToken? message, string consumer, int leaseSeconds = 300, string? owner = null)
    {
        logger.LogDebug("PrepareWarehouseRequest invoked for {Consumer}", consumer);
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.PrepareWarehouseRequest(message, consumer, leaseSeconds, owner));
    }

    [Function("ArchiveOrderEvent")]
    public Task<JToken> ArchiveOrderEvent([WorkflowActionTrigger] JToken? message)
    {
        logger.LogDebug("ArchiveOrderEvent invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.ArchiveOrderEvent(message));
    }
}
