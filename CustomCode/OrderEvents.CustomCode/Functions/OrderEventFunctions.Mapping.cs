using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Mapping.Sap;
using OrderEvents.CustomCode.Mapping.Sms;
using OrderEvents.CustomCode.Mapping.Warehouse;

namespace OrderEvents.CustomCode.Functions;

public sealed partial class OrderEventFunctions
{
    /// <summary>XML body and call parameters for the SAP connector's bapiCallMethod on BUS2032.</summary>
    [WorkflowFunction("MapToSapSalesOrder")]
    public SapSalesOrderRequest MapToSapSalesOrder(JToken orderEvent, string salesOrganization, string distributionChannel,
        string division, string documentType, string? sapSalesOrderNumber = null, string rejectionReason = "10") =>
        SapSalesOrderMapper.Map(orderEvent, new SapSalesArea(salesOrganization, distributionChannel, division, documentType, rejectionReason), sapSalesOrderNumber);

    /// <summary>Classifies the connector's XML response to a BAPI call (RETURN table, sales document).</summary>
    [WorkflowFunction("ReadSapBapiResponse")]
    public SapBapiResponse ReadSapBapiResponse(JToken content) => SapBapiResponseReader.Read(content);

    /// <summary>Stores the SAP sales document created for an order (first one wins).</summary>
    [WorkflowFunction("RecordSapSalesOrder")]
    public async Task<SapSalesOrderRecordResult> RecordSapSalesOrder(string orderId, string salesDocument, CancellationToken cancellationToken = default) =>
        CreateSapRegistry(out var problem) is { } registry
            ? await registry.RecordAsync(orderId, salesDocument, cancellationToken).ConfigureAwait(false)
            : new SapSalesOrderRecordResult { OrderId = orderId ?? "", Errors = [problem!] };

    /// <summary>Reads the SAP sales document recorded for an order.</summary>
    [WorkflowFunction("FindSapSalesOrder")]
    public async Task<SapSalesOrderLookupResult> FindSapSalesOrder(string orderId, CancellationToken cancellationToken = default) =>
        CreateSapRegistry(out var problem) is { } registry
            ? await registry.FindAsync(orderId, cancellationToken).ConfigureAwait(false)
            : new SapSalesOrderLookupResult { OrderId = orderId ?? "", Errors = [problem!] };

    /// <summary>The customer SMS for an order event, or why none is sent.</summary>
    [WorkflowFunction("MapToSms")]
    public SmsMessage MapToSms(JToken orderEvent, JToken? templates = null, string? fromNumber = null) =>
        SmsMapper.Map(orderEvent, templates, fromNumber);

    /// <summary>Whether Twilio already holds this SMS: among the messages the Twilio connector's List Messages answered
    /// (<paramref name="listed"/>), one to the same number with the same text, created since the earlier attempt began.
    /// SmsNotification asks only when <c>PrepareSms</c> took over an earlier attempt's claim (<c>reconcile</c>).</summary>
    /// <param name="sms"><c>PrepareSms</c>'s <c>sms</c>.</param>
    /// <param name="listed">The List Messages action's body (a failed call's error body finds nothing).</param>
    /// <param name="earlierAttemptStartedUtc"><c>PrepareSms</c>'s <c>earlierAttemptStartedUtc</c>.</param>
    [WorkflowFunction("FindSmsAlreadySent")]
    public SentSmsSearch FindSmsAlreadySent(JToken? sms, JToken? listed = null, string? earlierAttemptStartedUtc = null) =>
        SentSmsFinder.Find(sms, listed, earlierAttemptStartedUtc);

    /// <summary>The warehouse inventory API request for an order event.</summary>
    [WorkflowFunction("MapToWarehouseRequest")]
    public WarehouseRequest MapToWarehouseRequest(JToken orderEvent) => WarehouseRequestMapper.Map(orderEvent);

    private SapSalesOrderRegistry? CreateSapRegistry(out ContractError? problem) =>
        Configured(CustomCodeOptions.IdempotencyContainerSetting, services.Options.IdempotencyContainer, c => new SapSalesOrderRegistry(services.Store, services.Clock, c), out problem);
}
