using LocalLogicApp.StandIns.Sap;

namespace EndToEnd.Tests.StandIns;

/// <summary>
/// The sales document type's duplicate purchase order check, set to refuse (the product's SAP prerequisite,
/// docs/deployment.md "SAP prerequisites"): a second CREATEFROMDAT2 with a purchase order number the sold-to party already
/// used is a RETURN error and creates nothing. And GETLIST, with which SapFulfillment finds such an order.
/// </summary>
[TestClass]
public sealed class When_SAP_gets_a_second_order_with_a_customers_purchase_order_number_it_refuses_it
{
    private static string CreateXml(string purchaseOrder, string soldTo = "0000100001") =>
        When_SAP_receives_a_sales_order_it_holds_it_until_commit.CreateXml(purchaseOrder).Replace("0000100001", soldTo);

    private static string GetListXml(string customer, string purchaseOrder, string salesOrganization = "1000") =>
        $"""
        <GETLIST xmlns="{When_SAP_receives_a_sales_order_it_holds_it_until_commit.Namespace}">
          <CUSTOMER_NUMBER>{customer}</CUSTOMER_NUMBER><SALES_ORGANIZATION>{salesOrganization}</SALES_ORGANIZATION><PURCHASE_ORDER>{purchaseOrder}</PURCHASE_ORDER><SALES_ORDERS/>
        </GETLIST>
        """;

    [TestMethod]
    public void The_second_create_is_a_RETURN_error_naming_the_first_document_and_nothing_is_created()
    {
        var sap = new FakeSapSystem();
        var first = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-7"), autoCommit: true);

        var second = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-7"), autoCommit: true);

        Assert.IsTrue(sap.RefuseDuplicatePurchaseOrder, "on by default, as production's SAP must be set");
        Assert.IsFalse(first.HasErrors);
        Assert.IsTrue(second.HasErrors);
        Assert.IsNull(second.SalesDocument);
        Assert.IsNull(second.AutoCommitResponseXml, "nothing to commit");
        var refusal = second.Return.Single(r => r.IsError);
        Assert.AreEqual(("V4", "115"), (refusal.Id, refusal.Number));
        StringAssert.Contains(refusal.Message, first.SalesDocument!.TrimStart('0'));
        Assert.HasCount(1, sap.SalesOrdersForPurchaseOrder("ORD-7"));
    }

    [TestMethod]
    public void Another_sold_to_party_may_use_the_same_purchase_order_number()
    {
        var sap = new FakeSapSystem();
        sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-7"), autoCommit: true);

        var other = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-7", soldTo: "0000100002"), autoCommit: true);

        Assert.IsFalse(other.HasErrors);
        Assert.HasCount(2, sap.SalesOrdersForPurchaseOrder("ORD-7"));
    }

    [TestMethod]
    public void With_the_check_off_SAP_creates_the_second_order_as_an_unconfigured_system_would()
    {
        var sap = new FakeSapSystem { RefuseDuplicatePurchaseOrder = false };
        sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-7"), autoCommit: true);

        var second = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-7"), autoCommit: true);

        Assert.IsFalse(second.HasErrors);
        Assert.HasCount(2, sap.SalesOrdersForPurchaseOrder("ORD-7"));
    }

    [TestMethod]
    public void The_refusal_carries_the_message_class_and_number_the_system_is_set_to()
    {
        var sap = new FakeSapSystem { DuplicatePurchaseOrderMessage = ("ZSD", "042") };
        sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-7"), autoCommit: true);

        var refusal = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-7"), autoCommit: true).Return.Single(r => r.IsError);

        Assert.AreEqual(("ZSD", "042"), (refusal.Id, refusal.Number));
    }

    [TestMethod]
    public void GetList_finds_the_order_by_customer_sales_organization_and_purchase_order_with_one_row_per_item()
    {
        var sap = new FakeSapSystem();
        var items = "<BAPISDITM><ITM_NUMBER>000010</ITM_NUMBER><MATERIAL>A</MATERIAL><TARGET_QTY>1</TARGET_QTY></BAPISDITM>" +
                    "<BAPISDITM><ITM_NUMBER>000020</ITM_NUMBER><MATERIAL>B</MATERIAL><TARGET_QTY>2</TARGET_QTY></BAPISDITM>";
        var created = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", When_SAP_receives_a_sales_order_it_holds_it_until_commit.CreateXml("ORD-8", items), autoCommit: true);
        sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-9"), autoCommit: true);
        var callsBefore = sap.SalesOrders.Count;

        var found = sap.CallBapi(null, "BUS2032", "GETLIST:BAPI_SALESORDER_GETLIST", GetListXml("100001", "ORD-8"), autoCommit: false);
        var otherOrg = sap.CallBapi(null, "BUS2032", "GETLIST", GetListXml("0000100001", "ORD-8", salesOrganization: "2000"), autoCommit: false);
        var none = sap.CallBapi(null, "BUS2032", "GETLIST", GetListXml("0000100001", "ORD-404"), autoCommit: false);

        Assert.AreEqual(2, System.Text.RegularExpressions.Regex.Matches(found.ResponseXml, $"<SD_DOC>{created.SalesDocument}</SD_DOC>").Count, "one row per item");
        StringAssert.Contains(found.ResponseXml, "<GETLISTResponse");
        StringAssert.DoesNotMatch(found.ResponseXml, new System.Text.RegularExpressions.Regex("ORD-9"));
        Assert.IsNull(found.AutoCommitResponseXml);
        StringAssert.DoesNotMatch(otherOrg.ResponseXml, new System.Text.RegularExpressions.Regex("<SD_DOC>"));
        StringAssert.DoesNotMatch(none.ResponseXml, new System.Text.RegularExpressions.Regex("<SD_DOC>"));
        Assert.AreEqual(callsBefore, sap.SalesOrders.Count, "a read changes nothing");
    }

    [TestMethod]
    public void GetList_matches_a_long_purchase_order_number_by_its_first_20_characters_as_SAPs_header_field_holds_it()
    {
        var sap = new FakeSapSystem();
        var created = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("SO-2024-05-01-000100482-B"), autoCommit: true);

        var found = sap.CallBapi(null, "BUS2032", "GETLIST", GetListXml("0000100001", "SO-2024-05-01-000100"), autoCommit: false);

        StringAssert.Contains(found.ResponseXml, $"<SD_DOC>{created.SalesDocument}</SD_DOC>");
        StringAssert.Contains(found.ResponseXml, "<PURCH_NO>SO-2024-05-01-000100</PURCH_NO>");
    }

    [TestMethod]
    public void Among_many_orders_the_check_and_the_look_ups_find_exactly_the_orders_of_that_purchase_order()
    {
        var sap = new FakeSapSystem();
        for (var i = 0; i < 500; i++) sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml($"ORD-{i:D4}"), autoCommit: true);
        var other = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-0250", soldTo: "0000100002"), autoCommit: true);

        var second = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", CreateXml("ORD-0250"), autoCommit: true);
        var found = sap.CallBapi(null, "BUS2032", "GETLIST", GetListXml("0000100001", "ORD-0250"), autoCommit: false);

        Assert.AreEqual(("V4", "115"), second.Return.Where(r => r.IsError).Select(r => (r.Id, r.Number)).Single());
        Assert.HasCount(2, sap.SalesOrdersForPurchaseOrder("ORD-0250"), "the first and the other sold-to party's");
        Assert.AreEqual(1, System.Text.RegularExpressions.Regex.Matches(found.ResponseXml, "<SD_DOC>").Count, "this customer's one order, one item");
        StringAssert.DoesNotMatch(found.ResponseXml, new System.Text.RegularExpressions.Regex($"<SD_DOC>{other.SalesDocument}</SD_DOC>"));
        Assert.HasCount(501, sap.SalesOrders);
    }

    [TestMethod]
    public void GetList_without_a_customer_is_an_error_in_its_RETURN_structure()
    {
        var sap = new FakeSapSystem();

        var answer = sap.CallBapi(null, "BUS2032", "GETLIST", GetListXml("", "ORD-8"), autoCommit: false);

        StringAssert.Contains(answer.ResponseXml, "<TYPE>E</TYPE>");
        StringAssert.Contains(answer.ResponseXml, "CUSTOMER_NUMBER");
    }
}
