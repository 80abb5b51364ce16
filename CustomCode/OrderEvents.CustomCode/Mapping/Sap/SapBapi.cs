namespace OrderEvents.CustomCode.Mapping.Sap;

/// <summary>
/// Names and XML namespaces of the BAPI calls the SAP subscriber makes through the built-in SAP connector's
/// <c>bapiCallMethod</c> (sources in docs/custom-code.md, "SAP").
/// </summary>
public static class SapBapi
{
    /// <summary>Version prefix of every SAP namespace and action in the Microsoft SAP adapter/connector.</summary>
    public const string VersionNamespace = "http://Microsoft.LobServices.Sap/2007/03";

    /// <summary>Business object "Sales order" in the Business Object Repository.</summary>
    public const string SalesOrderBusinessObject = "BUS2032";

    /// <summary>Root element namespace of a business-object method call: <c>[VERSION]/Bapi/[BUSOBJ]/</c>.</summary>
    public const string SalesOrderNamespace = VersionNamespace + "/Bapi/" + SalesOrderBusinessObject + "/";

    /// <summary>Namespace of structure fields and table rows (DDIC types): <c>[VERSION]/Types/Rfc/</c>.</summary>
    public const string TypesNamespace = VersionNamespace + "/Types/Rfc/";

    public const string CreateMethod = "CREATEFROMDAT2";
    public const string CreateRfc = "BAPI_SALESORDER_CREATEFROMDAT2";
    public const string ChangeMethod = "CHANGE";
    public const string ChangeRfc = "BAPI_SALESORDER_CHANGE";
    /// <summary>SalesOrder.GetList: the sales orders of a customer in a sales organization, optionally only those carrying
    /// a customer purchase order number (import <c>PURCHASE_ORDER</c>, BAPIORDERS-PURCH_NO, CHAR 20); table
    /// <c>SALES_ORDERS</c> (BAPIORDERS, the document number in <c>SD_DOC</c>).</summary>
    public const string GetListMethod = "GETLIST";
    public const string GetListRfc = "BAPI_SALESORDER_GETLIST";
    /// <summary>Length of GetList's <c>PURCHASE_ORDER</c> (BAPIORDERS-PURCH_NO): the header's BSTNK, not the 35 of PURCH_NO_C.</summary>
    public const int GetListPurchaseOrderLength = 20;

    /// <summary>The connector's <c>method</c> parameter: the BOR method, ':', the implementing BAPI.</summary>
    public static string ConnectorMethod(string borMethod, string rfcName) => borMethod + ":" + rfcName;

    /// <summary>The adapter's message action, e.g. <c>.../Bapi/BUS2032/CREATEFROMDAT2/BAPI_SALESORDER_CREATEFROMDAT2</c>.</summary>
    public static string MessageAction(string borMethod, string rfcName) =>
        $"{VersionNamespace}/Bapi/{SalesOrderBusinessObject}/{borMethod}/{rfcName}";
}
