using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

/// <summary>
/// The SapFulfillment workflow's custom-code steps, called by name with the parameters its workflow.json passes:
/// <c>PrepareSapSalesOrder</c>, <c>RecordSapResult</c> on SAP's answer, and <c>DecideSettlement</c> closing the claim
/// the first step names (<c>delivery.claimConsumer</c>, <c>claimKey</c>, <c>claimToken</c>) with the SAP result.
/// The workflow itself runs on the engine in Workflows.Tests; these specs are about the storage underneath.
/// </summary>
internal sealed class SapFulfillmentSteps
{
    public const string Consumer = "sap-fulfillment";
    private const string Ns = "xmlns=\"http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/\"";
    private const string Types = "xmlns=\"http://Microsoft.LobServices.Sap/2007/03/Types/Rfc/\"";
    private readonly FunctionCatalog catalog;

    public SapFulfillmentSteps(IObjectStore store, TimeProvider clock, CustomCodeOptions? options = null)
    {
        catalog = new FunctionCatalog(new OrderEventFunctions(new CustomCodeServices(store, clock, options ?? new CustomCodeOptions())));
    }

    public Task<JToken> Invoke(string function, JObject parameters) => catalog.InvokeAsync(function, parameters);

    public async Task<JObject> Prepare(JObject message) => (JObject)await catalog.InvokeAsync("PrepareSapSalesOrder", new JObject
    {
        ["message"] = message,
        ["consumer"] = Consumer,
        ["salesOrganization"] = "1000",
        ["distributionChannel"] = "10",
        ["division"] = "00",
        ["documentType"] = "TA",
        ["leaseSeconds"] = 900,
    });

    /// <summary>SAP accepted and committed the call: <c>RecordSapResult</c> reads the answer.</summary>
    public async Task<JObject> RecordCommitted(JObject prepared, string? salesDocument)
    {
        var operation = (string?)prepared["sap"]?["operation"];
        var method = operation == "CreateSalesOrder" ? "CREATEFROMDAT2" : "CHANGE";
        var document = salesDocument is null ? "" : $"<SALESDOCUMENT>{salesDocument}</SALESDOCUMENT>";
        var content = $"<{method}Response {Ns}>{document}<RETURN><BAPIRET2 {Types}><TYPE>S</TYPE><ID>V1</ID><NUMBER>311</NUMBER><MESSAGE>saved</MESSAGE></BAPIRET2></RETURN></{method}Response>";
        var commit = $"<BAPI_TRANSACTION_COMMITResponse xmlns=\"http://Microsoft.LobServices.Sap/2007/03/Rfc/\"><RETURN><BAPIRET2 {Types}><TYPE>S</TYPE></BAPIRET2></RETURN></BAPI_TRANSACTION_COMMITResponse>";
        return (JObject)await catalog.InvokeAsync("RecordSapResult", new JObject
        {
            ["callResult"] = new JObject { ["content"] = content, ["autoCommitResponse"] = commit },
            ["operation"] = operation,
        });
    }

    /// <summary>SAP listed these sales documents for the look-up (GetList's SALES_ORDERS, one row per item: each twice here).</summary>
    public async Task<JObject> RecordListed(JObject prepared, params string[] salesDocuments)
    {
        Assert.AreEqual("FindSalesOrder", (string?)prepared["sap"]?["operation"], $"the delivery must look the order up: {prepared}");
        var rows = string.Concat(salesDocuments.SelectMany(d => new[] { "000010", "000020" }.Select(item =>
            $"<BAPIORDERS {Types}><SD_DOC>{d}</SD_DOC><ITM_NUMBER>{item}</ITM_NUMBER><PURCH_NO>SO-100482</PURCH_NO></BAPIORDERS>")));
        var content = $"<GETLISTResponse {Ns}><RETURN><TYPE></TYPE><CODE></CODE><MESSAGE></MESSAGE></RETURN><SALES_ORDERS>{rows}</SALES_ORDERS></GETLISTResponse>";
        return await Record(content, null, "FindSalesOrder");
    }

    /// <summary>SAP refused the create with one RETURN row of type E, or warned with a W (and did not commit).</summary>
    public Task<JObject> RecordRefused(JObject prepared, string id, string number, string message, string type = "E") => Record(
        $"<CREATEFROMDAT2Response {Ns}><SALESDOCUMENT></SALESDOCUMENT><RETURN><BAPIRET2 {Types}><TYPE>{type}</TYPE><ID>{id}</ID><NUMBER>{number}</NUMBER><MESSAGE>{message}</MESSAGE></BAPIRET2></RETURN></CREATEFROMDAT2Response>",
        null, (string?)prepared["sap"]?["operation"]);

    private async Task<JObject> Record(string content, string? commit, string? operation) => (JObject)await catalog.InvokeAsync("RecordSapResult", new JObject
    {
        ["callResult"] = new JObject { ["content"] = content, ["autoCommitResponse"] = commit },
        ["operation"] = operation,
    });

    public async Task<JObject> Settle(JObject prepared, string outcome, JObject? recorded = null, bool? outcomeUnknown = null) => (JObject)await catalog.InvokeAsync("DecideSettlement", new JObject
    {
        ["outcomeUnknown"] = outcomeUnknown,
        ["outcome"] = outcome,
        ["deliveryCount"] = 1,
        ["maxDeliveryCount"] = 10,
        ["detail"] = "",
        ["consumer"] = prepared["delivery"]?["claimConsumer"],
        ["key"] = prepared["delivery"]?["claimKey"],
        ["claimToken"] = prepared["delivery"]?["claimToken"],
        ["result"] = new JObject
        {
            ["operation"] = (prepared["sap"] as JObject)?["operation"],
            ["salesDocument"] = recorded?["salesDocument"] ?? (prepared["sap"] as JObject)?["salesDocument"],
            ["messageId"] = prepared["delivery"]?["messageId"],
        },
    });

    /// <summary>The whole happy path of one delivery: prepare, SAP commits, settle as Succeeded.</summary>
    public async Task<JObject> Fulfil(JObject message, string? salesDocument = "0000012345")
    {
        var prepared = await Prepare(message);
        Assert.IsTrue((bool)prepared["proceed"]!, $"the delivery must be sent to SAP: {prepared}");
        var recorded = await RecordCommitted(prepared, salesDocument);
        return await Settle(prepared, "Succeeded", recorded);
    }

    /// <summary>The built-in Service Bus trigger's message for an order event.</summary>
    public static JObject Message(JObject orderEvent, int deliveryCount = 1) => new()
    {
        ["contentData"] = orderEvent,
        ["contentType"] = "application/json",
        ["messageId"] = (string?)orderEvent["messageId"],
        ["enqueuedTimeUtc"] = "2024-05-01T09:30:01Z",
        ["deliveryCount"] = deliveryCount,
        ["userProperties"] = new JObject(),
    };

    public static JObject Created(string messageId = "order-100482-ordercreated-v1") =>
        OrderEventSamples.Event("OrderCreated").With("messageId", messageId);

    public static JObject Changed(string eventType) => OrderEventSamples.Event(eventType);
}
