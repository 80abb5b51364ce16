using System.Xml.Linq;
using OrderEvents.CustomCode.Mapping.Sap;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

[TestClass]
public sealed class When_an_order_changes_the_SAP_body_calls_the_change_BAPI
{
    private static readonly XNamespace Bapi = "http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/";
    private static readonly XNamespace Types = "http://Microsoft.LobServices.Sap/2007/03/Types/Rfc/";

    private static SapSalesOrderRequest Map(string eventType, string? salesDocument = "4711") =>
        OrderEventSamples.Functions().MapToSapSalesOrder(OrderEventSamples.Event(eventType), "1000", "10", "00", "TA", salesDocument);

    [TestMethod]
    public void A_cancellation_rejects_every_item_of_the_recorded_sales_document()
    {
        var request = Map("OrderCancelled");
        var root = XElement.Parse(request.Body);

        Assert.AreEqual("RejectItems", request.Operation);
        Assert.AreEqual("CHANGE:BAPI_SALESORDER_CHANGE", request.Method);
        Assert.AreEqual(Bapi + "CHANGE", root.Name);
        Assert.AreEqual("0000004711", root.Element(Bapi + "SALESDOCUMENT")!.Value);
        Assert.AreEqual("U", root.Element(Bapi + "ORDER_HEADER_INX")!.Element(Types + "UPDATEFLAG")!.Value);
        var items = root.Element(Bapi + "ORDER_ITEM_IN")!.Elements(Types + "BAPISDITM").ToList();
        CollectionAssert.AreEqual(new[] { "000010", "000020" }, items.Select(i => i.Element(Types + "ITM_NUMBER")!.Value).ToArray());
        Assert.IsTrue(items.All(i => i.Element(Types + "REASON_REJ")!.Value == "10"));
        var flags = root.Element(Bapi + "ORDER_ITEM_INX")!.Elements(Types + "BAPISDITMX").ToList();
        Assert.IsTrue(flags.All(f => f.Element(Types + "UPDATEFLAG")!.Value == "U" && f.Element(Types + "REASON_REJ")!.Value == "X"));
        Assert.IsNull(root.Element(Bapi + "SCHEDULE_LINES"), "a rejection changes no quantities");
    }

    [TestMethod]
    public void The_rejection_reason_comes_from_configuration()
    {
        var request = OrderEventSamples.Functions().MapToSapSalesOrder(OrderEventSamples.Event("OrderCancelled"), "1000", "10", "00", "TA", "4711", rejectionReason: "Z1");

        Assert.IsTrue(XElement.Parse(request.Body).Descendants(Types + "REASON_REJ").Where(e => e.Parent!.Name.LocalName == "BAPISDITM").All(e => e.Value == "Z1"));
    }

    [TestMethod]
    public void An_update_changes_target_and_schedule_quantities_with_their_X_flags()
    {
        var request = Map("OrderUpdated");
        var root = XElement.Parse(request.Body);

        Assert.AreEqual("ChangeQuantities", request.Operation);
        var item = root.Element(Bapi + "ORDER_ITEM_IN")!.Elements().Last();
        Assert.AreEqual("1.5", item.Element(Types + "TARGET_QTY")!.Value);
        var itemFlags = root.Element(Bapi + "ORDER_ITEM_INX")!.Elements().Last();
        Assert.AreEqual("X", itemFlags.Element(Types + "TARGET_QTY")!.Value);
        var schedule = root.Element(Bapi + "SCHEDULE_LINES")!.Elements().Last();
        Assert.AreEqual("0001", schedule.Element(Types + "SCHED_LINE")!.Value);
        Assert.AreEqual("1.5", schedule.Element(Types + "REQ_QTY")!.Value);
        var scheduleFlags = root.Element(Bapi + "SCHEDULE_LINESX")!.Elements().Last();
        Assert.AreEqual("U", scheduleFlags.Element(Types + "UPDATEFLAG")!.Value);
        Assert.AreEqual("X", scheduleFlags.Element(Types + "REQ_QTY")!.Value);
    }

    [TestMethod]
    public void Without_the_SAP_document_number_cancel_and_update_report_a_specific_error()
    {
        foreach (var eventType in new[] { "OrderCancelled", "OrderUpdated" })
        {
            var request = Map(eventType, salesDocument: null);

            Assert.IsFalse(request.ShouldCall);
            Assert.AreEqual("SapSalesOrderNumberRequired", request.Errors.Single().Code, eventType);
            Assert.AreEqual("", request.Body);
        }
    }

    [TestMethod]
    public void A_document_number_that_is_not_digits_is_rejected()
    {
        var request = Map("OrderCancelled", salesDocument: "47-11");

        Assert.AreEqual("InvalidSapSalesOrderNumber", request.Errors.Single().Code);
    }
}
