using System.Xml.Linq;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping.Sap;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

/// <summary>
/// The look-up of an order whose create may have reached SAP: SalesOrder.GetList (BAPI_SALESORDER_GETLIST) for the
/// sold-to party and sales organization the create uses, filtered by the purchase order number the create puts in
/// PURCH_NO_C; and the reader of its SALES_ORDERS table.
/// </summary>
[TestClass]
public sealed class When_an_order_may_exist_already_the_SAP_body_calls_GetList
{
    private static readonly XNamespace Bapi = "http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/";
    private static readonly XNamespace Types = "http://Microsoft.LobServices.Sap/2007/03/Types/Rfc/";
    private static readonly SapSalesArea Area = new("1000", "10", "00", "TA", "10");

    [TestMethod]
    public void The_connector_parameters_name_GETLIST_and_commit_nothing()
    {
        var request = SapSalesOrderMapper.MapLookup(OrderEventSamples.Event(), Area);

        Assert.IsTrue(request.ShouldCall);
        Assert.AreEqual("FindSalesOrder", request.Operation);
        Assert.AreEqual("BUS2032", request.BusinessObject);
        Assert.AreEqual("GETLIST:BAPI_SALESORDER_GETLIST", request.Method);
        Assert.AreEqual("http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/GETLIST/BAPI_SALESORDER_GETLIST", request.MessageAction);
        Assert.IsFalse(request.AutoCommit);
        Assert.AreEqual(0, request.Errors.Count);
    }

    [TestMethod]
    public void The_body_asks_for_the_customers_orders_carrying_the_purchase_order_number_of_the_create()
    {
        var orderEvent = OrderEventSamples.Event();
        var root = XElement.Parse(SapSalesOrderMapper.MapLookup(orderEvent, Area).Body);
        var created = XElement.Parse(SapSalesOrderMapper.Map(orderEvent, Area, null).Body);

        Assert.AreEqual(Bapi + "GETLIST", root.Name);
        CollectionAssert.AreEqual(new[] { "CUSTOMER_NUMBER", "SALES_ORGANIZATION", "PURCHASE_ORDER", "SALES_ORDERS" },
            root.Elements().Select(e => e.Name.LocalName).ToArray());
        Assert.IsTrue(root.Elements().All(e => e.Name.Namespace == Bapi));
        Assert.AreEqual("0000100234", root.Element(Bapi + "CUSTOMER_NUMBER")!.Value, "the sold-to party in ALPHA form, as the create sends it");
        Assert.AreEqual(created.Element(Bapi + "ORDER_PARTNERS")!.Elements().First().Element(Types + "PARTN_NUMB")!.Value, root.Element(Bapi + "CUSTOMER_NUMBER")!.Value);
        Assert.AreEqual("1000", root.Element(Bapi + "SALES_ORGANIZATION")!.Value);
        Assert.AreEqual("SO-100482", root.Element(Bapi + "PURCHASE_ORDER")!.Value);
        Assert.AreEqual(created.Element(Bapi + "ORDER_HEADER_IN")!.Element(Types + "PURCH_NO_C")!.Value, root.Element(Bapi + "PURCHASE_ORDER")!.Value);
        Assert.AreEqual("", root.Element(Bapi + "SALES_ORDERS")!.Value, "passed empty so that the table comes back");
    }

    [TestMethod]
    public void An_order_id_longer_than_GetLists_20_characters_is_searched_by_its_first_20()
    {
        var orderEvent = OrderEventSamples.Event();
        orderEvent["data"]!["orderId"] = "SO-2024-05-01-000100482-B";

        var root = XElement.Parse(SapSalesOrderMapper.MapLookup(orderEvent, Area).Body);

        Assert.AreEqual("SO-2024-05-01-000100", root.Element(Bapi + "PURCHASE_ORDER")!.Value);
    }

    [TestMethod]
    public void An_event_the_create_could_not_take_cannot_be_looked_up_either()
    {
        var orderEvent = OrderEventSamples.Event();
        ((JObject)orderEvent["data"]!).Remove("customerId");
        ((JObject)orderEvent["data"]!).Remove("accountId");

        var request = SapSalesOrderMapper.MapLookup(orderEvent, Area);

        Assert.IsFalse(request.ShouldCall);
        Assert.IsTrue(request.Errors.Any(e => e.Code == "MissingCustomerNumber"), string.Join("; ", request.Errors));
    }

    [TestMethod]
    public void The_reader_lists_each_sales_document_once_in_ALPHA_form_whatever_the_item_rows()
    {
        var content = $"""
            <GETLISTResponse xmlns="{Bapi}">
              <RETURN><TYPE/><CODE/><MESSAGE/></RETURN>
              <SALES_ORDERS>
                <BAPIORDERS xmlns="{Types}"><SD_DOC>12345</SD_DOC><ITM_NUMBER>000010</ITM_NUMBER></BAPIORDERS>
                <BAPIORDERS xmlns="{Types}"><SD_DOC>0000012345</SD_DOC><ITM_NUMBER>000020</ITM_NUMBER></BAPIORDERS>
                <BAPIORDERS xmlns="{Types}"><SD_DOC>0000012399</SD_DOC><ITM_NUMBER>000010</ITM_NUMBER></BAPIORDERS>
                <BAPIORDERS xmlns="{Types}"><SD_DOC></SD_DOC></BAPIORDERS>
              </SALES_ORDERS>
            </GETLISTResponse>
            """;

        var read = SapBapiResponseReader.Read(content);

        Assert.IsTrue(read.Succeeded);
        CollectionAssert.AreEqual(new[] { "0000012345", "0000012399" }, read.ListedSalesDocuments.ToArray());
    }

    [TestMethod]
    public void An_error_in_GetLists_RETURN_structure_is_a_failed_lookup()
    {
        var content = $"""<GETLISTResponse xmlns="{Bapi}"><RETURN><TYPE>E</TYPE><CODE>V4219</CODE><MESSAGE>Enter CUSTOMER_NUMBER</MESSAGE></RETURN><SALES_ORDERS/></GETLISTResponse>""";

        var read = SapBapiResponseReader.Read(content);

        Assert.IsFalse(read.Succeeded);
        Assert.AreEqual(0, read.ListedSalesDocuments.Count);
        Assert.AreEqual("Enter CUSTOMER_NUMBER", read.Messages.Single().Message);
    }
}
