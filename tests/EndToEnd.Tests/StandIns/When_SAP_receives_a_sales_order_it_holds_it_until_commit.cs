using LocalLogicApp.Bindings.Sap;
using LocalLogicApp.StandIns.Sap;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;

namespace EndToEnd.Tests.StandIns;

[TestClass]
public sealed class When_SAP_receives_a_sales_order_it_holds_it_until_commit
{
    internal const string Namespace = "http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/";

    internal static string CreateXml(string purchaseOrder = "ORD-1", string items = "<BAPISDITM><ITM_NUMBER>000010</ITM_NUMBER><MATERIAL>SKU-1</MATERIAL><TARGET_QTY>2</TARGET_QTY></BAPISDITM>") =>
        $"""
        <CREATEFROMDAT2 xmlns="{Namespace}">
          <ORDER_HEADER_IN><DOC_TYPE>TA</DOC_TYPE><SALES_ORG>1000</SALES_ORG><DISTR_CHAN>10</DISTR_CHAN><DIVISION>00</DIVISION><PURCH_NO_C>{purchaseOrder}</PURCH_NO_C></ORDER_HEADER_IN>
          <ORDER_ITEMS_IN>{items}</ORDER_ITEMS_IN>
          <ORDER_PARTNERS><BAPIPARNR><PARTN_ROLE>AG</PARTN_ROLE><PARTN_NUMB>0000100001</PARTN_NUMB></BAPIPARNR></ORDER_PARTNERS>
        </CREATEFROMDAT2>
        """;

    [TestMethod]
    public async Task A_valid_order_gets_the_next_number_and_exists_only_after_commit()
    {
        var sap = new FakeSapSystem();
        var binding = new SapBinding(sap);

        var session = (await binding.InvokeActionAsync(Request("createSession", new JObject()), default)).Body!.Value<string>("sessionId")!;
        var call = await binding.InvokeActionAsync(Request("bapiCallMethod", Bapi(CreateXml(), session)), default);
        var before = sap.SalesOrders.Count;
        await binding.InvokeActionAsync(Request("bapiCommit", new JObject { ["sessionId"] = session, ["closeSession"] = true }), default);

        Assert.AreEqual(200, call.StatusCode);
        StringAssert.Contains(call.Body!.Value<string>("content"), "<SALESDOCUMENT>0001000001</SALESDOCUMENT>");
        StringAssert.Contains(call.Body!.Value<string>("content"), "<TYPE>S</TYPE>");
        Assert.AreEqual(0, before);
        Assert.HasCount(1, sap.SalesOrdersForPurchaseOrder("ORD-1"));
        Assert.IsEmpty(sap.OpenSessions);
    }

    [TestMethod]
    public async Task Closing_a_session_without_commit_discards_the_order()
    {
        var sap = new FakeSapSystem();
        var session = sap.CreateSession();

        sap.CallBapi(session, "BUS2032", "CREATEFROMDAT2", CreateXml(), autoCommit: false);
        sap.CloseSession(session);

        Assert.IsEmpty(sap.SalesOrders);
    }

    [TestMethod]
    public void Item_numbers_that_do_not_ascend_are_a_RETURN_error_and_nothing_is_created()
    {
        var sap = new FakeSapSystem();
        var items = "<BAPISDITM><ITM_NUMBER>000020</ITM_NUMBER><MATERIAL>A</MATERIAL><TARGET_QTY>1</TARGET_QTY></BAPISDITM>" +
                    "<BAPISDITM><ITM_NUMBER>000010</ITM_NUMBER><MATERIAL>B</MATERIAL><TARGET_QTY>1</TARGET_QTY></BAPISDITM>";

        var result = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml(items: items), autoCommit: true);

        Assert.IsTrue(result.HasErrors);
        Assert.IsNull(result.SalesDocument);
        StringAssert.Contains(result.ResponseXml, "<TYPE>E</TYPE>");
        Assert.AreEqual(2, result.Return.Single(r => r.IsError).Row);
        Assert.IsEmpty(sap.SalesOrders);
    }

    [TestMethod]
    public async Task A_communication_failure_fails_the_action_as_transient_and_creates_nothing()
    {
        var sap = new FakeSapSystem();
        sap.Faults.FailNext(1, SapFault.CommunicationFailure(), FakeSapSystem.CallBapiOperation);
        var binding = new SapBinding(sap);

        var response = await binding.InvokeActionAsync(Request("bapiCallMethod", Bapi(CreateXml(), null, autoCommit: true)), default);

        Assert.AreEqual(502, response.StatusCode);
        Assert.AreEqual("RfcCommunicationFailure", response.Body!.Value<string>("errorCode"));
        Assert.IsEmpty(sap.SalesOrders);
    }

    [TestMethod]
    public void A_lost_reply_after_auto_commit_leaves_the_order_in_SAP()
    {
        var sap = new FakeSapSystem();
        sap.Faults.FailNext(1, SapFault.ReplyLost(), FakeSapSystem.CallBapiOperation);

        Assert.ThrowsExactly<SapCommunicationException>(() => sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml(), autoCommit: true));

        Assert.HasCount(1, sap.SalesOrdersForPurchaseOrder("ORD-1"));
    }

    [TestMethod]
    public void A_change_that_deletes_the_order_marks_it_deleted()
    {
        var sap = new FakeSapSystem();
        var created = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml(), autoCommit: true);
        var change = $"""<CHANGE xmlns="{Namespace}"><SALESDOCUMENT>{created.SalesDocument}</SALESDOCUMENT><ORDER_HEADER_INX><UPDATEFLAG>D</UPDATEFLAG></ORDER_HEADER_INX></CHANGE>""";

        var result = sap.CallBapi(null, "BUS2032", "CHANGE", change, autoCommit: true);

        Assert.IsFalse(result.HasErrors);
        Assert.AreEqual(SapSalesOrder.Deleted, sap.SalesOrders[created.SalesDocument!].Status);
    }

    private static JObject Bapi(string xml, string? session, bool autoCommit = false) => new()
    {
        ["businessObject"] = "BUS2032",
        ["method"] = "CREATEFROMDAT2",
        ["autoCommit"] = autoCommit,
        ["body"] = xml,
        ["sessionId"] = session,
    };

    private static ServiceProviderRequest Request(string operationId, JObject parameters) =>
        new("SapFulfillment", "Call", SapBinding.Id, operationId, "sap", new JObject(), parameters);
}
