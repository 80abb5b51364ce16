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

    /// <summary>The warehouse inventory API request for an order event.</summary>
    [WorkflowFunction("MapToWarehouseRequest")]
    public WarehouseRequest MapToWarehouseRequest(JToken orderEvent) => WarehouseRequestMapper.Map(orderEvent);

    private SapSalesOrderRegistry? CreateSapRegistry(out ContractError? problem) =>
        Configured(CustomCodeOptions.IdempotencyContainerSetting, services.Options.IdempotencyContainer, c => new SapSalesOrderRegistry(services.Store, services.Clock, c), out problem);
}
