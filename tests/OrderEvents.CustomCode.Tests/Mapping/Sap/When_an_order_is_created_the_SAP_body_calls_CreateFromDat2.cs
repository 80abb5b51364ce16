using System.Xml.Linq;
using OrderEvents.CustomCode.Mapping.Sap;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

[TestClass]
public sealed class When_an_order_is_created_the_SAP_body_calls_CreateFromDat2
{
    private static readonly XNamespace Bapi = "http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/";
    private static readonly XNamespace Types = "http://Microsoft.LobServices.Sap/2007/03/Types/Rfc/";

    private static SapSalesOrderRequest Map(Newtonsoft.Json.Linq.JObject orderEvent) =>
        OrderEventSamples.Functions().MapToSapSalesOrder(orderEvent, "1000", "10", "00", "TA");

    [TestMethod]
    public void The_connector_parameters_name_business_object_BUS2032_and_method_CREATEFROMDAT2()
    {
        var request = Map(OrderEventSamples.Event());

        Assert.IsTrue(request.ShouldCall);
        Assert.AreEqual("CreateSalesOrder", request.Operation);
        Assert.AreEqual("BUS2032", request.BusinessObject);
        Assert.AreEqual("CREATEFROMDAT2:BAPI_SALESORDER_CREATEFROMDAT2", request.Method);
        Assert.AreEqual("http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/CREATEFROMDAT2/BAPI_SALESORDER_CREATEFROMDAT2", request.MessageAction);
        Assert.IsTrue(request.SafeType, "dates are YYYYMMDD, which the connector accepts only with Safe Typing");
        Assert.IsTrue(request.AutoCommit);
        Assert.AreEqual(0, request.Errors.Count);
    }

    [TestMethod]
    public void The_root_is_the_method_in_the_business_object_namespace()
    {
        var root = XElement.Parse(Map(OrderEventSamples.Event()).Body);

        Assert.AreEqual(Bapi + "CREATEFROMDAT2", root.Name);
        CollectionAssert.AreEqual(
            new[] { "ORDER_HEADER_IN", "ORDER_ITEMS_IN", "ORDER_PARTNERS", "ORDER_SCHEDULES_IN", "RETURN" },
            root.Elements().Select(e => e.Name.LocalName).ToArray());
        Assert.IsTrue(root.Elements().All(e => e.Name.Namespace == Bapi), "parameters stay in the method namespace");
    }

    [TestMethod]
    public void The_header_carries_configuration_order_id_SAP_dates_and_currency()
    {
        var header = XElement.Parse(Map(OrderEventSamples.Event()).Body).Element(Bapi + "ORDER_HEADER_IN")!;

        Assert.AreEqual("TA", header.Element(Types + "DOC_TYPE")!.Value);
        Assert.AreEqual("1000", header.Element(Types + "SALES_ORG")!.Value);
        Assert.AreEqual("10", header.Element(Types + "DISTR_CHAN")!.Value);
        Assert.AreEqual("00", header.Element(Types + "DIVISION")!.Value);
        Assert.AreEqual("SO-100482", header.Element(Types + "PURCH_NO_C")!.Value);
        Assert.AreEqual("20240501", header.Element(Types + "REQ_DATE_H")!.Value);
        Assert.AreEqual("20240501", header.Element(Types + "PURCH_DATE")!.Value);
        Assert.AreEqual("EUR", header.Element(Types + "CURRENCY")!.Value);
    }

    [TestMethod]
    public void Items_are_numbered_in_steps_of_ten_with_six_digits()
    {
        var rows = XElement.Parse(Map(OrderEventSamples.Event()).Body).Element(Bapi + "ORDER_ITEMS_IN")!.Elements(Types + "BAPISDITM").ToList();

        Assert.AreEqual(2, rows.Count);
        Assert.AreEqual("000010", rows[0].Element(Types + "ITM_NUMBER")!.Value);
        Assert.AreEqual("MAT-001", rows[0].Element(Types + "MATERIAL")!.Value);
        Assert.AreEqual("2", rows[0].Element(Types + "TARGET_QTY")!.Value);
        Assert.AreEqual("000020", rows[1].Element(Types + "ITM_NUMBER")!.Value);
        Assert.AreEqual("1.5", rows[1].Element(Types + "TARGET_QTY")!.Value);
    }

    [TestMethod]
    public void Schedule_lines_repeat_item_number_with_line_0001_quantity_and_date()
    {
        var rows = XElement.Parse(Map(OrderEventSamples.Event()).Body).Element(Bapi + "ORDER_SCHEDULES_IN")!.Elements(Types + "BAPISCHDL").ToList();

        Assert.AreEqual(2, rows.Count);
        CollectionAssert.AreEqual(new[] { "ITM_NUMBER", "SCHED_LINE", "REQ_DATE", "REQ_QTY" }, rows[1].Elements().Select(e => e.Name.LocalName).ToArray());
        Assert.AreEqual("000020", rows[1].Element(Types + "ITM_NUMBER")!.Value);
        Assert.AreEqual("0001", rows[1].Element(Types + "SCHED_LINE")!.Value);
        Assert.AreEqual("20240501", rows[1].Element(Types + "REQ_DATE")!.Value);
        Assert.AreEqual("1.5", rows[1].Element(Types + "REQ_QTY")!.Value);
    }

    [TestMethod]
    public void A_numeric_customer_id_becomes_a_ten_digit_sold_to_and_ship_to_partner()
    {
        var partners = XElement.Parse(Map(OrderEventSamples.Event()).Body).Element(Bapi + "ORDER_PARTNERS")!.Elements(Types + "BAPIPARNR").ToList();

        CollectionAssert.AreEqual(new[] { "AG", "WE" }, partners.Select(p => p.Element(Types + "PARTN_ROLE")!.Value).ToArray());
        Assert.IsTrue(partners.All(p => p.Element(Types + "PARTN_NUMB")!.Value == "0000100234"));
    }

    [TestMethod]
    public void Without_customer_id_the_account_id_is_the_sold_to_and_alphanumeric_ids_are_not_padded()
    {
        var body = Map(OrderEventSamples.Event().With("data.customerId", null).With("data.accountId", "C-77")).Body;

        Assert.AreEqual("C-77", XElement.Parse(body).Descendants(Types + "PARTN_NUMB").First().Value);
    }

    [TestMethod]
    public void Values_with_XML_markup_are_escaped_not_interpreted()
    {
        var body = Map(OrderEventSamples.Event().With("data.orderId", "A&B<x>\"'")).Body;

        StringAssert.Contains(body, "A&amp;B&lt;x&gt;");
        Assert.AreEqual("A&B<x>\"'", XElement.Parse(body).Descendants(Types + "PURCH_NO_C").Single().Value);
    }

    [TestMethod]
    public void A_recorded_sales_document_means_the_order_already_exists_and_nothing_is_sent()
    {
        var request = OrderEventSamples.Functions().MapToSapSalesOrder(OrderEventSamples.Event(), "1000", "10", "00", "TA", "4711");

        Assert.IsFalse(request.ShouldCall);
        Assert.AreEqual("AlreadyCreated", request.Operation);
        Assert.AreEqual("0000004711", request.SalesDocument);
        Assert.AreEqual("", request.Body);
    }
}
