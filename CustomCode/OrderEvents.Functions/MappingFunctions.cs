using Microsoft.Azure.Functions.Extensions.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace OrderEvents.Functions;

/// <summary>Mapping to SAP, SMS and the warehouse API: entry points that delegate to <c>OrderEventFunctions</c>.</summary>
public class MappingFunctions(ILoggerFactory loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<MappingFunctions>();

    [Function("MapToSapSalesOrder")]
    public Task<JToken> MapToSapSalesOrder([WorkflowActionTrigger] JToken orderEvent, string salesOrganization, string distributionChannel,
        string division, string documentType, string? sapSalesOrderNumber = null, string rejectionReason = "10")
    {
        logger.LogDebug("MapToSapSalesOrder invoked");
        return Task.FromResult(FunctionResults.ToBody(CustomCodeStartup.Functions.MapToSapSalesOrder(
            orderEvent, salesOrganization, distributionChannel, division, documentType, sapSalesOrderNumber, rejectionReason)));
    }

    [Function("ReadSapBapiResponse")]
    public Task<JToken> ReadSapBapiResponse([WorkflowActionTrigger] JToken content)
    {
        logger.LogDebug("ReadSapBapiResponse invoked");
        return Task.FromResult(FunctionResults.ToBody(CustomCodeStartup.Functions.ReadSapBapiResponse(content)));
    }

    [Function("RecordSapSalesOrder")]
    public Task<JToken> RecordSapSalesOrder([WorkflowActionTrigger] string orderId, string salesDocument)
    {
        logger.LogDebug("RecordSapSalesOrder invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.RecordSapSalesOrder(orderId, salesDocument));
    }

    [Function("FindSapSalesOrder")]
    public Task<JToken> FindSapSalesOrder([WorkflowActionTrigger] string orderId)
    {
        logger.LogDebug("FindSapSalesOrder invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.FindSapSalesOrder(orderId));
    }

    [Function("MapToSms")]
    public Task<JToken> MapToSms([WorkflowActionTrigger] JToken orderEvent, JToken? templates = null, string? fromNumber = null)
    {
        logger.LogDebug("MapToSms invoked");
        return Task.FromResult(FunctionResults.ToBody(CustomCodeStartup.Functions.MapToSms(orderEvent, templates, fromNumber)));
    }

    [Function("FindSmsAlreadySent")]
    public Task<JToken> FindSmsAlreadySent([WorkflowActionTrigger] JToken? sms, JToken? listed = null, string? earlierAttemptStartedUtc = null)
    {
        logger.LogDebug("FindSmsAlreadySent invoked");
        return Task.FromResult(FunctionResults.ToBody(CustomCodeStartup.Functions.FindSmsAlreadySent(sms, listed, earlierAttemptStartedUtc)));
    }

    [Function("MapToWarehouseRequest")]
    public Task<JToken> MapToWarehouseRequest([WorkflowActionTrigger] JToken orderEvent)
    {
        logger.LogDebug("MapToWarehouseRequest invoked");
        return Task.FromResult(FunctionResults.ToBody(CustomCodeStartup.Functions.MapToWarehouseRequest(orderEvent)));
    }
}
