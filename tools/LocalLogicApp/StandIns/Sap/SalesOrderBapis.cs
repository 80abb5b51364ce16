using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LocalLogicApp.StandIns.State;

namespace LocalLogicApp.StandIns.Sap;

/// <summary>
/// The sales-order BAPIs of business object BUS2032 as the SAP connector sends them in XML
/// (root element = method, e.g. <c>CREATEFROMDAT2</c>, in namespace
/// <c>http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/</c>): BAPI_SALESORDER_CREATEFROMDAT2,
/// BAPI_SALESORDER_CHANGE and BAPI_SALESORDER_GETLIST. Validation mirrors what SAP refuses, each problem a RETURN row of TYPE E.
/// Elements are matched by local name so a document in another namespace version still reads.
/// </summary>
internal static partial class SalesOrderBapis
{
    public const string BusinessObject = "BUS2032";
    public const string CreateMethod = "CREATEFROMDAT2";
    public const string ChangeMethod = "CHANGE";
    public const string GetListMethod = "GETLIST";
    /// <summary>GetList's PURCHASE_ORDER (BAPIORDERS-PURCH_NO) is 20 characters: it matches the header's BSTNK, which
    /// holds the first 20 of the 35-character PURCH_NO_C.</summary>
    public const int GetListPurchaseOrderLength = 20;

    public static readonly IReadOnlyDictionary<string, string> BapiNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [CreateMethod] = "BAPI_SALESORDER_CREATEFROMDAT2",
        [ChangeMethod] = "BAPI_SALESORDER_CHANGE",
        [GetListMethod] = "BAPI_SALESORDER_GETLIST",
    };

    /// <summary>Reads and checks a CREATEFROMDAT2 document; the order has no number yet.</summary>
    public static (SapSalesOrder? Order, List<SapReturnMessage> Messages) ReadCreate(BapiElement root, DateTimeOffset now)
    {
        var messages = new List<SapReturnMessage>();
        var header = Child(root, "ORDER_HEADER_IN");
        if (header is null)
        {
            messages.Add(SapReturnMessage.Error("V4", "248", "Error in ORDER_HEADER_IN: the header structure is missing", "ORDER_HEADER_IN"));
            return (null, messages);
        }
        var docType = Required(header, "DOC_TYPE", 4, "ORDER_HEADER_IN", "Enter a sales document type", messages);
        var salesOrg = Required(header, "SALES_ORG", 4, "ORDER_HEADER_IN", "Enter a sales organization", messages);
        var channel = Required(header, "DISTR_CHAN", 2, "ORDER_HEADER_IN", "Enter a distribution channel", messages);
        var division = Required(header, "DIVISION", 2, "ORDER_HEADER_IN", "Enter a division", messages);
        var purchaseOrder = Text(header, "PURCH_NO_C");
        if (purchaseOrder is { Length: > 35 }) messages.Add(SapReturnMessage.Error("V4", "219", $"PURCH_NO_C '{purchaseOrder}' is longer than 35 characters", "ORDER_HEADER_IN", 0, "PURCH_NO_C"));
        foreach (var dateField in new[] { "REQ_DATE_H", "PURCH_DATE", "PRICE_DATE", "DOC_DATE" })
        {
            var date = Text(header, dateField);
            if (date is not null && !IsSapDate(date))
            {
                messages.Add(SapReturnMessage.Error("V4", "219", $"{dateField} '{date}' is not a date (expected YYYYMMDD or YYYY-MM-DD)", "ORDER_HEADER_IN", 0, dateField));
            }
        }

        var soldTo = Rows(root, "ORDER_PARTNERS")
            .FirstOrDefault(p => Text(p, "PARTN_ROLE") is "AG" or "SP")
            .Let(p => p is null ? null : Text(p, "PARTN_NUMB"));
        if (string.IsNullOrWhiteSpace(soldTo))
        {
            messages.Add(SapReturnMessage.Error("V4", "112", "Enter a sold-to party (ORDER_PARTNERS row with PARTN_ROLE AG)", "ORDER_PARTNERS"));
        }

        var items = ReadItems(root, messages);
        if (messages.Any(m => m.IsError)) return (null, messages);
        // Organisation codes repeat across every order: one string each, not four per order kept (as for the items' materials).
        return (new SapSalesOrder("", purchaseOrder, SharedStrings.Of(docType!), SharedStrings.Of(salesOrg!), SharedStrings.Of(channel!), SharedStrings.Of(division!), soldTo!, items,
            SapSalesOrder.Open, now), messages);
    }

    /// <summary>Applies a CHANGE document to a committed order, or explains why it cannot.</summary>
    public static (SapSalesOrder? Changed, List<SapReturnMessage> Messages) ReadChange(BapiElement root, Func<string, SapSalesOrder?> find)
    {
        var messages = new List<SapReturnMessage>();
        var document = Text(root, "SALESDOCUMENT");
        if (string.IsNullOrWhiteSpace(document))
        {
            messages.Add(SapReturnMessage.Error("V1", "045", "Enter a sales document number (SALESDOCUMENT)", "SALESDOCUMENT"));
            return (null, messages);
        }
        var order = find(Normalize(document));
        if (order is null)
        {
            messages.Add(SapReturnMessage.Error("V1", "302", $"SD document {document} is not in the database or has been archived", "SALESDOCUMENT"));
            return (null, messages);
        }
        if (order.Status == SapSalesOrder.Deleted)
        {
            messages.Add(SapReturnMessage.Error("V1", "302", $"SD document {document} is not in the database or has been archived", "SALESDOCUMENT"));
            return (null, messages);
        }
        var headerX = Child(root, "ORDER_HEADER_INX");
        var updateFlag = headerX is null ? null : Text(headerX, "UPDATEFLAG");
        if (updateFlag is null || !new[] { "U", "D", "I" }.Contains(updateFlag))
        {
            messages.Add(SapReturnMessage.Error("V4", "219", "ORDER_HEADER_INX-UPDATEFLAG must be U (update) or D (delete)", "ORDER_HEADER_INX", 0, "UPDATEFLAG"));
            return (null, messages);
        }
        if (updateFlag == "D")
        {
            return (order with { Status = SapSalesOrder.Deleted, ChangeCount = order.ChangeCount + 1 }, messages);
        }

        var items = order.Items.ToDictionary(i => i.ItemNumber);
        var rowIndex = 0;
        foreach (var row in Rows(root, "ORDER_ITEM_IN"))
        {
            rowIndex++;
            var number = Text(row, "ITM_NUMBER");
            if (number is null || !ItemNumber().IsMatch(number))
            {
                messages.Add(SapReturnMessage.Error("V4", "219", $"ITM_NUMBER '{number}' must be up to 6 digits", "ORDER_ITEM_IN", rowIndex, "ITM_NUMBER"));
                continue;
            }
            var key = number.PadLeft(6, '0');
            if (!items.TryGetValue(key, out var item))
            {
                messages.Add(SapReturnMessage.Error("V1", "331", $"Item {key} does not exist", "ORDER_ITEM_IN", rowIndex, "ITM_NUMBER"));
                continue;
            }
            var reason = Text(row, "REASON_REJ");
            var quantity = Text(row, "TARGET_QTY");
            items[key] = item with
            {
                RejectionReason = reason ?? item.RejectionReason,
                Quantity = quantity is not null && decimal.TryParse(quantity, NumberStyles.Number, CultureInfo.InvariantCulture, out var q) ? q : item.Quantity,
            };
        }
        if (messages.Any(m => m.IsError)) return (null, messages);
        var changedItems = items.Values.OrderBy(i => i.ItemNumber, StringComparer.Ordinal).ToArray();
        var status = changedItems.All(i => i.RejectionReason is not null) ? SapSalesOrder.Rejected : SapSalesOrder.Open;
        return (order with { Items = changedItems, Status = status, ChangeCount = order.ChangeCount + 1 }, messages);
    }

    /// <summary>
    /// BAPI_SALESORDER_GETLIST: the orders of CUSTOMER_NUMBER in SALES_ORGANIZATION (both required), only those whose
    /// purchase order number (its first 20 characters) is PURCHASE_ORDER when given; one SALES_ORDERS row (BAPIORDERS) per
    /// item. RETURN is a single BAPIRETURN structure (TYPE, CODE, MESSAGE), empty when all went well.
    /// </summary>
    public static XElement GetList(BapiElement root, XNamespace ns, IEnumerable<SapSalesOrder> committed)
    {
        var customer = Text(root, "CUSTOMER_NUMBER");
        var salesOrg = Text(root, "SALES_ORGANIZATION");
        var purchaseOrder = Text(root, "PURCHASE_ORDER");
        var response = new XElement(ns + "GETLISTResponse");
        if (customer is null || salesOrg is null)
        {
            response.Add(BapiReturn(ns, "E", "V4219", $"Enter {(customer is null ? "CUSTOMER_NUMBER" : "SALES_ORGANIZATION")}: GetList needs a customer and a sales organization"));
            response.Add(new XElement(ns + "SALES_ORDERS"));
            return response;
        }
        var soldTo = Normalize(customer);
        var rows = committed
            .Where(o => o.Status != SapSalesOrder.Deleted && Normalize(o.SoldToParty) == soldTo && o.SalesOrganization == salesOrg)
            .Where(o => purchaseOrder is null || Bstnk(o.PurchaseOrderNumber) == Bstnk(purchaseOrder))
            .OrderBy(o => o.SalesDocument, StringComparer.Ordinal)
            .SelectMany(o => o.Items.Select(i => new XElement(ns + "BAPIORDERS",
                new XElement(ns + "SD_DOC", o.SalesDocument),
                new XElement(ns + "ITM_NUMBER", i.ItemNumber),
                new XElement(ns + "MATERIAL", i.Material),
                new XElement(ns + "REQ_QTY", i.Quantity.ToString(CultureInfo.InvariantCulture)),
                new XElement(ns + "PURCH_NO", Bstnk(o.PurchaseOrderNumber)),
                new XElement(ns + "SOLD_TO", o.SoldToParty),
                new XElement(ns + "SALES_ORG", o.SalesOrganization),
                new XElement(ns + "DOC_TYPE", o.DocumentType),
                new XElement(ns + "DOC_DATE", o.CreatedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)))));
        response.Add(BapiReturn(ns, "", "", ""));
        response.Add(new XElement(ns + "SALES_ORDERS", rows));
        return response;
    }

    /// <summary>GetList's PURCHASE_ORDER, or null when the call does not filter by one.</summary>
    public static string? GetListPurchaseOrder(BapiElement root) => Text(root, "PURCHASE_ORDER");

    /// <summary>The header's BSTNK: the first 20 characters of the purchase order number, what GetList matches.</summary>
    public static string Bstnk(string? purchaseOrder) =>
        purchaseOrder is null ? "" : purchaseOrder.Length <= GetListPurchaseOrderLength ? purchaseOrder : purchaseOrder[..GetListPurchaseOrderLength];

    /// <summary>The older BAPIRETURN structure GetList exports (CODE = message class and number run together).</summary>
    private static XElement BapiReturn(XNamespace ns, string type, string code, string message) => new(ns + "RETURN",
        new XElement(ns + "TYPE", type),
        new XElement(ns + "CODE", code),
        new XElement(ns + "MESSAGE", message),
        new XElement(ns + "LOG_NO", ""),
        new XElement(ns + "LOG_MSG_NO", "000000"),
        new XElement(ns + "MESSAGE_V1", ""),
        new XElement(ns + "MESSAGE_V2", ""),
        new XElement(ns + "MESSAGE_V3", ""),
        new XElement(ns + "MESSAGE_V4", ""));

    public static string Normalize(string salesDocument) =>
        salesDocument.All(char.IsDigit) ? salesDocument.PadLeft(10, '0') : salesDocument;

    private static List<SapSalesOrderItem> ReadItems(BapiElement root, List<SapReturnMessage> messages)
    {
        var rows = Rows(root, "ORDER_ITEMS_IN").ToArray();
        if (rows.Length == 0)
        {
            messages.Add(SapReturnMessage.Error("V4", "248", "Error in ORDER_ITEMS_IN: the order has no items", "ORDER_ITEMS_IN"));
            return [];
        }
        var scheduleQuantities = Rows(root, "ORDER_SCHEDULES_IN")
            .Select(s => (Item: Text(s, "ITM_NUMBER")?.PadLeft(6, '0'), Quantity: Decimal(Text(s, "REQ_QTY"))))
            .Where(s => s.Item is not null && s.Quantity is not null)
            .GroupBy(s => s.Item!)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Quantity!.Value));

        var items = new List<SapSalesOrderItem>();
        var previous = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var row = i + 1;
            var number = Text(rows[i], "ITM_NUMBER");
            if (number is null || !ItemNumber().IsMatch(number))
            {
                messages.Add(SapReturnMessage.Error("V4", "219", $"ITM_NUMBER '{number}' must be up to 6 digits", "ORDER_ITEMS_IN", row, "ITM_NUMBER"));
                continue;
            }
            var value = int.Parse(number, CultureInfo.InvariantCulture);
            if (value <= previous)
            {
                messages.Add(SapReturnMessage.Error("V4", "219", $"Item number {number.PadLeft(6, '0')} is not above the previous item {previous:D6}: item numbers must ascend without repeats", "ORDER_ITEMS_IN", row, "ITM_NUMBER"));
                continue;
            }
            previous = value;
            var key = number.PadLeft(6, '0');
            var material = Text(rows[i], "MATERIAL") ?? Text(rows[i], "MATERIAL_LONG");
            if (string.IsNullOrWhiteSpace(material))
            {
                messages.Add(SapReturnMessage.Error("V1", "382", $"Enter a material for item {key}", "ORDER_ITEMS_IN", row, "MATERIAL"));
                continue;
            }
            if (material.Length > 40)
            {
                messages.Add(SapReturnMessage.Error("V4", "219", $"Material '{material}' of item {key} is longer than 40 characters", "ORDER_ITEMS_IN", row, "MATERIAL"));
                continue;
            }
            var targetText = Text(rows[i], "TARGET_QTY");
            var target = Decimal(targetText);
            if (targetText is not null && target is null)
            {
                messages.Add(SapReturnMessage.Error("V4", "219", $"TARGET_QTY '{targetText}' of item {key} is not a number", "ORDER_ITEMS_IN", row, "TARGET_QTY"));
                continue;
            }
            var quantity = target ?? (scheduleQuantities.TryGetValue(key, out var scheduled) ? scheduled : 0m);
            if (quantity <= 0)
            {
                messages.Add(SapReturnMessage.Error("V1", "393", $"Enter a quantity above zero for item {key} (TARGET_QTY or ORDER_SCHEDULES_IN-REQ_QTY)", "ORDER_ITEMS_IN", row, "TARGET_QTY"));
                continue;
            }
            // Item numbers, materials and units repeat across every order: one string each, not one per item kept.
            var unit = Text(rows[i], "TARGET_QU") ?? Text(rows[i], "SALES_UNIT");
            items.Add(new SapSalesOrderItem(SharedStrings.Of(key), SharedStrings.Of(material), quantity, unit is null ? null : SharedStrings.Of(unit)));
        }
        foreach (var scheduled in scheduleQuantities.Keys.Where(k => items.All(i => i.ItemNumber != k)))
        {
            if (messages.Any(m => m.Parameter == "ORDER_ITEMS_IN")) break;
            messages.Add(SapReturnMessage.Error("V4", "219", $"ORDER_SCHEDULES_IN refers to item {scheduled}, which is not in ORDER_ITEMS_IN", "ORDER_SCHEDULES_IN", 0, "ITM_NUMBER"));
        }
        return items;
    }

    private static string? Required(BapiElement parent, string name, int maxLength, string structure, string missingMessage, List<SapReturnMessage> messages)
    {
        var value = Text(parent, name);
        if (string.IsNullOrWhiteSpace(value))
        {
            messages.Add(SapReturnMessage.Error("V4", "219", $"{missingMessage} ({structure}-{name})", structure, 0, name));
            return null;
        }
        if (value.Length > maxLength)
        {
            messages.Add(SapReturnMessage.Error("V4", "219", $"{structure}-{name} '{value}' is longer than {maxLength} characters", structure, 0, name));
            return null;
        }
        return value;
    }

    internal static BapiElement? Child(BapiElement parent, string localName) => parent.Child(localName);

    internal static string? Text(BapiElement parent, string localName)
    {
        var value = Child(parent, localName)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The rows of a table parameter: its child elements (e.g. ORDER_ITEMS_IN/BAPISDITM).</summary>
    private static IEnumerable<BapiElement> Rows(BapiElement root, string table) =>
        Child(root, table)?.Elements() ?? [];

    private static decimal? Decimal(string? text) =>
        text is not null && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsSapDate(string text) =>
        DateTime.TryParseExact(text, ["yyyyMMdd", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.fffffffK"],
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _);

    private static TResult Let<T, TResult>(this T value, Func<T, TResult> map) => map(value);

    [GeneratedRegex(@"^[0-9]{1,6}$")]
    private static partial Regex ItemNumber();
}
