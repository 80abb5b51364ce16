using System.Text;
using System.Xml;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Mapping.Sap;

/// <summary>Organizational data of the sales orders, from configuration (app settings <c>Sap_*</c>).</summary>
public sealed record SapSalesArea(string SalesOrganization, string DistributionChannel, string Division, string DocumentType, string RejectionReason);

/// <summary>What the SAP subscriber passes to the connector's <c>bapiCallMethod</c>.</summary>
public sealed record SapSalesOrderRequest
{
    /// <summary>False when nothing must be sent (errors, or the order already exists in SAP).</summary>
    public bool ShouldCall { get; init; }
    /// <summary><c>CreateSalesOrder</c>, <c>ChangeQuantities</c>, <c>RejectItems</c>, <c>FindSalesOrder</c> (look up an order
    /// whose create may have happened), <c>AlreadyCreated</c>, or empty on errors.</summary>
    public string Operation { get; init; } = "";
    /// <summary>The connector's <c>businessObject</c> parameter (BUS2032).</summary>
    public string BusinessObject { get; init; } = SapBapi.SalesOrderBusinessObject;
    /// <summary>The connector's <c>method</c> parameter, e.g. <c>CREATEFROMDAT2:BAPI_SALESORDER_CREATEFROMDAT2</c>.</summary>
    public string Method { get; init; } = "";
    /// <summary>The connector's <c>body</c> parameter: the BAPI's parameters as XML.</summary>
    public string Body { get; init; } = "";
    /// <summary>The connector's <c>autoCommit</c> parameter: commit when SAP reports no error and no warning.</summary>
    public bool AutoCommit { get; init; } = true;
    /// <summary>The connector's <c>safeType</c> parameter: must be true because dates are sent as YYYYMMDD.</summary>
    public bool SafeType { get; init; } = true;
    /// <summary>The adapter's message action for this call (documentation and logs only).</summary>
    public string MessageAction { get; init; } = "";
    /// <summary>The SAP sales document the change applies to (10 digits), when known.</summary>
    public string? SalesDocument { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = Array.Empty<ContractError>();

    /// <summary>Set when the change is not sent because the order's cancellation, applied first, supersedes it: the
    /// cancelling message id (<c>OrderUpdated</c> that occurred before an <c>OrderCancelled</c> SAP already applied).</summary>
    public string? SupersededBy { get; init; }

    /// <summary>Nothing to send: the update occurred before the order's cancellation, which SAP applied already (the
    /// events were published out of business order); applying it now would change a cancelled order.</summary>
    public static SapSalesOrderRequest Superseded(string? salesDocument, string? cancelledBy) =>
        new() { ShouldCall = false, Operation = "ChangeQuantities", SalesDocument = salesDocument, SupersededBy = cancelledBy ?? "(unknown message)" };

    /// <summary>Nothing to send: SAP already has the order (its document, when one is recorded).</summary>
    public static SapSalesOrderRequest AlreadyCreated(string? salesDocument) =>
        new() { ShouldCall = false, Operation = "AlreadyCreated", SalesDocument = salesDocument };
}

/// <summary>
/// Maps an order event to the XML body of a BAPI call on business object BUS2032 (sales order):
/// OrderCreated → CREATEFROMDAT2 (BAPI_SALESORDER_CREATEFROMDAT2); OrderUpdated → CHANGE
/// (BAPI_SALESORDER_CHANGE) setting the new quantities; OrderCancelled → CHANGE rejecting every item; and, for an
/// OrderCreated whose earlier create may have reached SAP, GETLIST (BAPI_SALESORDER_GETLIST) by the purchase order number.
/// </summary>
public static class SapSalesOrderMapper
{
    public const string CreateOperation = SapSalesOrderRegistry.CreateOperation;
    public const string LookupOperation = "FindSalesOrder";

    private const int SalesOrgLength = 4, DistributionChannelLength = 2, DivisionLength = 2, DocumentTypeLength = 4;
    private const int RejectionReasonLength = 2, PurchaseOrderNumberLength = 35, MaterialLength = 18, CurrencyLength = 5;

    public static SapSalesOrderRequest Map(JToken? orderEvent, SapSalesArea area, string? sapSalesOrderNumber) => Map(orderEvent, area, sapSalesOrderNumber, null);

    /// <param name="validated"><paramref name="orderEvent"/> as read by the validation that accepted it (a subscriber's
    /// delivery), or null to read it here.</param>
    internal static SapSalesOrderRequest Map(JToken? orderEvent, SapSalesArea area, string? sapSalesOrderNumber, OrderEvent? validated)
    {
        var errors = new List<ContractError>();
        CheckConfiguration(area, errors);

        var read = OrderEventReader.Read(orderEvent, LineRequirement.AtLeastOne, validated);
        errors.AddRange(read.Errors);
        var order = read.Event;
        if (order?.Data is null || errors.Count > 0) return Failed(errors);

        string? salesDocument = null;
        if (!string.IsNullOrWhiteSpace(sapSalesOrderNumber))
        {
            salesDocument = SapNumbers.IsDigits(sapSalesOrderNumber.Trim()) ? SapNumbers.AlphaInput(sapSalesOrderNumber, SapNumbers.DocumentNumberLength) : null;
            if (salesDocument is null)
            {
                errors.Add(new ContractError("sapSalesOrderNumber", "InvalidSapSalesOrderNumber",
                    "The SAP sales document number must be 1 to 10 digits."));
                return Failed(errors);
            }
        }

        switch (order.EventType)
        {
            case OrderEventTypes.Created:
                if (salesDocument is not null)
                {
                    // A document is already recorded for this order: the create succeeded on an earlier delivery.
                    return SapSalesOrderRequest.AlreadyCreated(salesDocument);
                }
                return Create(order, order.Data, area, errors);
            case OrderEventTypes.Updated:
            case OrderEventTypes.Cancelled:
                if (salesDocument is null)
                {
                    errors.Add(new ContractError("sapSalesOrderNumber", "SapSalesOrderNumberRequired",
                        $"{order.EventType} changes an existing SAP sales order, so it needs the SAP document number (FindSapSalesOrder); none is recorded for order '{SafeText.Truncate(order.Data.OrderId, 64)}'."));
                    return Failed(errors);
                }
                return Change(order, order.Data, area, salesDocument, errors);
            default:
                errors.Add(new ContractError("eventType", "UnknownEventType", "The event type has no SAP mapping."));
                return Failed(errors);
        }
    }

    /// <summary>
    /// The look-up of an <c>OrderCreated</c> whose earlier create may have reached SAP (its reply was lost, or its run
    /// vanished): SalesOrder.GetList for the sold-to party and sales organization the create uses, filtered by the
    /// customer purchase order number the create sets (PURCH_NO_C = the order id). GetList's PURCHASE_ORDER is 20
    /// characters (BAPIORDERS-PURCH_NO), so a longer order id is searched by its first 20 (docs/custom-code.md, "SAP").
    /// A read: no commit.
    /// </summary>
    public static SapSalesOrderRequest MapLookup(JToken? orderEvent, SapSalesArea area) => MapLookup(orderEvent, area, null);

    /// <inheritdoc cref="Map(JToken?, SapSalesArea, string?, OrderEvent?)"/>
    internal static SapSalesOrderRequest MapLookup(JToken? orderEvent, SapSalesArea area, OrderEvent? validated)
    {
        var errors = new List<ContractError>();
        CheckConfiguration(area, errors);
        var read = OrderEventReader.Read(orderEvent, LineRequirement.AtLeastOne, validated);
        errors.AddRange(read.Errors);
        var data = read.Event?.Data;
        if (data is null || errors.Count > 0) return Failed(errors);
        var purchaseOrderNumber = CheckIdentifier(data.OrderId, "data.orderId", PurchaseOrderNumberLength, errors);
        var soldTo = SoldToParty(data, errors);
        if (errors.Count > 0) return Failed(errors);
        var searched = purchaseOrderNumber!.Length <= SapBapi.GetListPurchaseOrderLength ? purchaseOrderNumber : purchaseOrderNumber[..SapBapi.GetListPurchaseOrderLength];

        var body = Write(SapBapi.GetListMethod, writer =>
        {
            writer.WriteElementString("CUSTOMER_NUMBER", SapBapi.SalesOrderNamespace, soldTo!);
            writer.WriteElementString("SALES_ORGANIZATION", SapBapi.SalesOrderNamespace, area.SalesOrganization.Trim());
            writer.WriteElementString("PURCHASE_ORDER", SapBapi.SalesOrderNamespace, searched);
            // Table parameters only come back in the response when passed (empty) in the request.
            writer.WriteElementString("SALES_ORDERS", SapBapi.SalesOrderNamespace, "");
        });
        return new SapSalesOrderRequest
        {
            ShouldCall = true,
            Operation = LookupOperation,
            Method = SapBapi.ConnectorMethod(SapBapi.GetListMethod, SapBapi.GetListRfc),
            MessageAction = SapBapi.MessageAction(SapBapi.GetListMethod, SapBapi.GetListRfc),
            Body = body,
            AutoCommit = false,
        };
    }

    private static SapSalesOrderRequest Create(OrderEvent order, OrderData data, SapSalesArea area, List<ContractError> errors)
    {
        var purchaseOrderNumber = CheckIdentifier(data.OrderId, "data.orderId", PurchaseOrderNumberLength, errors);
        var soldTo = SoldToParty(data, errors);
        var currency = data.Currency.Trim();
        if (currency.Length == 0)
            errors.Add(new ContractError("data.currency", "MissingField", "The order has no currency."));
        else if (currency.Length > CurrencyLength || !IsUpperLetters(currency))
            errors.Add(new ContractError("data.currency", "InvalidCurrency", "The currency must be an ISO 4217 code of upper-case letters."));
        var items = Items(data, errors);
        if (errors.Count > 0) return Failed(errors);

        var date = SapNumbers.Date(order.OccurredUtc);
        var body = Write(SapBapi.CreateMethod, writer =>
        {
            writer.WriteStartElement("ORDER_HEADER_IN");
            Field(writer, "DOC_TYPE", area.DocumentType);
            Field(writer, "SALES_ORG", area.SalesOrganization);
            Field(writer, "DISTR_CHAN", area.DistributionChannel);
            Field(writer, "DIVISION", area.Division);
            Field(writer, "REQ_DATE_H", date);
            Field(writer, "PURCH_NO_C", purchaseOrderNumber!);
            Field(writer, "PURCH_DATE", date);
            Field(writer, "CURRENCY", currency);
            writer.WriteEndElement();

            writer.WriteStartElement("ORDER_ITEMS_IN");
            foreach (var item in items)
            {
                Row(writer, "BAPISDITM", ("ITM_NUMBER", item.Number), ("MATERIAL", item.Material), ("TARGET_QTY", item.Quantity));
            }
            writer.WriteEndElement();

            writer.WriteStartElement("ORDER_PARTNERS");
            Row(writer, "BAPIPARNR", ("PARTN_ROLE", "AG"), ("PARTN_NUMB", soldTo!));
            Row(writer, "BAPIPARNR", ("PARTN_ROLE", "WE"), ("PARTN_NUMB", soldTo!));
            writer.WriteEndElement();

            writer.WriteStartElement("ORDER_SCHEDULES_IN");
            foreach (var item in items)
            {
                Row(writer, "BAPISCHDL", ("ITM_NUMBER", item.Number), ("SCHED_LINE", SapNumbers.FirstScheduleLine), ("REQ_DATE", date), ("REQ_QTY", item.Quantity));
            }
            writer.WriteEndElement();

            // Table parameters only come back in the response when passed (empty) in the request.
            writer.WriteElementString("RETURN", SapBapi.SalesOrderNamespace, "");
        });

        return new SapSalesOrderRequest
        {
            ShouldCall = true,
            Operation = CreateOperation,
            Method = SapBapi.ConnectorMethod(SapBapi.CreateMethod, SapBapi.CreateRfc),
            MessageAction = SapBapi.MessageAction(SapBapi.CreateMethod, SapBapi.CreateRfc),
            Body = body,
        };
    }

    private static SapSalesOrderRequest Change(OrderEvent order, OrderData data, SapSalesArea area, string salesDocument, List<ContractError> errors)
    {
        var items = Items(data, errors);
        if (errors.Count > 0) return Failed(errors);
        var reject = order.EventType == OrderEventTypes.Cancelled;

        var body = Write(SapBapi.ChangeMethod, writer =>
        {
            writer.WriteStartElement("ORDER_HEADER_INX");
            Field(writer, "UPDATEFLAG", "U");
            writer.WriteEndElement();

            writer.WriteStartElement("ORDER_ITEM_IN");
            foreach (var item in items)
            {
                if (reject) Row(writer, "BAPISDITM", ("ITM_NUMBER", item.Number), ("REASON_REJ", area.RejectionReason));
                else Row(writer, "BAPISDITM", ("ITM_NUMBER", item.Number), ("TARGET_QTY", item.Quantity));
            }
            writer.WriteEndElement();

            writer.WriteStartElement("ORDER_ITEM_INX");
            foreach (var item in items)
            {
                if (reject) Row(writer, "BAPISDITMX", ("ITM_NUMBER", item.Number), ("UPDATEFLAG", "U"), ("REASON_REJ", "X"));
                else Row(writer, "BAPISDITMX", ("ITM_NUMBER", item.Number), ("UPDATEFLAG", "U"), ("TARGET_QTY", "X"));
            }
            writer.WriteEndElement();

            writer.WriteElementString("RETURN", SapBapi.SalesOrderNamespace, "");
            writer.WriteElementString("SALESDOCUMENT", SapBapi.SalesOrderNamespace, salesDocument);

            if (!reject)
            {
                writer.WriteStartElement("SCHEDULE_LINES");
                foreach (var item in items)
                    Row(writer, "BAPISCHDL", ("ITM_NUMBER", item.Number), ("SCHED_LINE", SapNumbers.FirstScheduleLine), ("REQ_QTY", item.Quantity));
                writer.WriteEndElement();
                writer.WriteStartElement("SCHEDULE_LINESX");
                foreach (var item in items)
                    Row(writer, "BAPISCHDLX", ("ITM_NUMBER", item.Number), ("SCHED_LINE", SapNumbers.FirstScheduleLine), ("UPDATEFLAG", "U"), ("REQ_QTY", "X"));
                writer.WriteEndElement();
            }
        });

        return new SapSalesOrderRequest
        {
            ShouldCall = true,
            Operation = reject ? "RejectItems" : "ChangeQuantities",
            Method = SapBapi.ConnectorMethod(SapBapi.ChangeMethod, SapBapi.ChangeRfc),
            MessageAction = SapBapi.MessageAction(SapBapi.ChangeMethod, SapBapi.ChangeRfc),
            Body = body,
            SalesDocument = salesDocument,
        };
    }

    private sealed record Item(string Number, string Material, string Quantity);

    private static List<Item> Items(OrderData data, List<ContractError> errors)
    {
        var items = new List<Item>(data.Lines.Count);
        if (data.Lines.Count > 99_999)
        {
            errors.Add(new ContractError("data.lines", "TooManyLines", "A sales order holds at most 99999 items (NUMC 6 item numbers in steps of 10)."));
            return items;
        }
        for (var i = 0; i < data.Lines.Count; i++)
        {
            var line = data.Lines[i];
            var material = CheckIdentifier(line.Sku, $"data.lines[{i}].sku", MaterialLength, errors);
            var quantity = SapNumbers.Quantity(line.Quantity);
            if (quantity is null)
                errors.Add(new ContractError($"data.lines[{i}].quantity", "QuantityNotRepresentable", "SAP quantities (QUAN 13,3) take at most 3 decimals and 10 integer digits."));
            if (material is not null && quantity is not null) items.Add(new Item(SapNumbers.ItemNumber(i), material, quantity));
        }
        return items;
    }

    private static string? SoldToParty(OrderData data, List<ContractError> errors)
    {
        var (source, path) = !string.IsNullOrWhiteSpace(data.CustomerId) ? (data.CustomerId, "data.customerId")
            : !string.IsNullOrWhiteSpace(data.AccountId) ? (data.AccountId, "data.accountId")
            : ("", "data.customerId");
        if (source.Length == 0)
        {
            errors.Add(new ContractError(path, "MissingCustomerNumber", "The order has neither 'customerId' nor 'accountId' for the SAP sold-to party."));
            return null;
        }
        if (SafeText.HasInvalidCharacter(source))
        {
            errors.Add(new ContractError(path, "InvalidCharacter", "The customer number contains control characters."));
            return null;
        }
        var number = SapNumbers.AlphaInput(source, SapNumbers.DocumentNumberLength);
        if (number is null)
            errors.Add(new ContractError(path, "CustomerNumberTooLong", "SAP customer numbers (KUNNR) have at most 10 characters; map the CRM id to the SAP number upstream."));
        return number;
    }

    private static string? CheckIdentifier(string value, string path, int maxLength, List<ContractError> errors)
    {
        if (SafeText.HasInvalidCharacter(value))
        {
            errors.Add(new ContractError(path, "InvalidCharacter", $"'{path}' contains control characters or broken Unicode, which XML and SAP reject."));
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            errors.Add(new ContractError(path, "EmptyField", $"'{path}' must not be empty."));
            return null;
        }
        if (trimmed.Length > maxLength)
        {
            errors.Add(new ContractError(path, "TooLongForSap", $"'{path}' has {trimmed.Length} characters; the SAP field takes {maxLength}."));
            return null;
        }
        return trimmed;
    }

    private static void CheckConfiguration(SapSalesArea area, List<ContractError> errors)
    {
        Check(area.SalesOrganization, "salesOrganization", SalesOrgLength);
        Check(area.DistributionChannel, "distributionChannel", DistributionChannelLength);
        Check(area.Division, "division", DivisionLength);
        Check(area.DocumentType, "documentType", DocumentTypeLength);
        Check(area.RejectionReason, "rejectionReason", RejectionReasonLength);

        void Check(string? value, string name, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(value))
                errors.Add(new ContractError(name, "MissingConfiguration", $"The configuration value '{name}' is required."));
            else if (SafeText.HasInvalidCharacter(value) || value.Trim().Length > maxLength)
                errors.Add(new ContractError(name, "InvalidConfiguration", $"The configuration value '{name}' must be 1 to {maxLength} printable characters."));
        }
    }

    private static bool IsUpperLetters(string text)
    {
        foreach (var c in text) if (c is < 'A' or > 'Z') return false;
        return true;
    }

    // Fragment: one writer writes body after body, each a top-level element whose namespace scope closes with it, so
    // each body is the text a new writer gave (When_SAP_bodies_are_written_one_after_another_each_is_the_text_a_new_writer_gave).
    private static readonly XmlWriterSettings WriterSettings = new()
    {
        OmitXmlDeclaration = true,
        Indent = false,
        CheckCharacters = true,
        NewLineHandling = NewLineHandling.Entitize,
        ConformanceLevel = ConformanceLevel.Fragment,
    };

    // One writer per thread, reused: a new XmlWriter allocates a 12 KB character buffer, more than the body it writes.
    [ThreadStatic] private static (StringBuilder Builder, XmlWriter Writer)? reusable;

    private static string Write(string borMethod, Action<XmlWriter> writeParameters)
    {
        // Taken while in use: a body that fails half-way (a character XML can't hold) leaves its writer unusable.
        var (builder, writer) = reusable ?? Create();
        reusable = null;
        builder.Clear();
        writer.WriteStartElement(borMethod, SapBapi.SalesOrderNamespace);
        writeParameters(writer);
        writer.WriteEndElement();
        writer.Flush();
        var body = builder.ToString();
        if (builder.Capacity <= 64 * 1024) reusable = (builder, writer); // a rare huge order: let its buffer go
        return body;

        static (StringBuilder, XmlWriter) Create()
        {
            var builder = new StringBuilder(1024);
            return (builder, XmlWriter.Create(builder, WriterSettings));
        }
    }

    /// <summary>A field of an import structure: its own element in the DDIC types namespace.</summary>
    private static void Field(XmlWriter writer, string name, string value) =>
        writer.WriteElementString(name, SapBapi.TypesNamespace, value.Trim());

    /// <summary>A table row: an element named after the row's DDIC structure, in the types namespace.</summary>
    private static void Row(XmlWriter writer, string structure, params (string Name, string Value)[] fields)
    {
        writer.WriteStartElement(structure, SapBapi.TypesNamespace);
        foreach (var (name, value) in fields) writer.WriteElementString(name, SapBapi.TypesNamespace, value);
        writer.WriteEndElement();
    }

    private static SapSalesOrderRequest Failed(List<ContractError> errors) =>
        new() { ShouldCall = false, Errors = errors };
}
