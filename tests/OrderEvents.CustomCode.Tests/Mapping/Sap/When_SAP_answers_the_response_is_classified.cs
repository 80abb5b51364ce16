using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

[TestClass]
public sealed class When_SAP_answers_the_response_is_classified
{
    private const string Ns = "xmlns=\"http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/\"";
    private const string Types = "xmlns=\"http://Microsoft.LobServices.Sap/2007/03/Types/Rfc/\"";

    private static string Row(string type, string id, string number, string message) =>
        $"<BAPIRET2 {Types}><TYPE>{type}</TYPE><ID>{id}</ID><NUMBER>{number}</NUMBER><MESSAGE>{message}</MESSAGE></BAPIRET2>";

    [TestMethod]
    public void A_created_document_with_only_success_messages_succeeded()
    {
        var xml = $"<CREATEFROMDAT2Response {Ns}><SALESDOCUMENT>0000012345</SALESDOCUMENT><RETURN>{Row("S", "V1", "311", "Standard Order 12345 has been saved")}</RETURN></CREATEFROMDAT2Response>";

        var response = OrderEventSamples.Functions().ReadSapBapiResponse(new JValue(xml));

        Assert.IsTrue(response.Succeeded);
        Assert.AreEqual("0000012345", response.SalesDocument);
        Assert.AreEqual("S", response.Messages.Single().Type);
        Assert.AreEqual("311", response.Messages.Single().Number);
        Assert.IsFalse(response.IsTransient);
    }

    [TestMethod]
    public void An_error_row_means_failure_and_it_is_not_transient()
    {
        var xml = $"<CREATEFROMDAT2Response {Ns}><SALESDOCUMENT /><RETURN>{Row("E", "V1", "382", "Material MAT-9 does not exist")}{Row("E", "V4", "219", "Sales document was not changed")}</RETURN></CREATEFROMDAT2Response>";

        var response = OrderEventSamples.Functions().ReadSapBapiResponse(new JValue(xml));

        Assert.IsFalse(response.Succeeded);
        Assert.IsNull(response.SalesDocument);
        Assert.AreEqual(2, response.Messages.Count);
        Assert.IsFalse(response.IsTransient);
    }

    [TestMethod]
    public void An_abort_row_also_means_failure()
    {
        var xml = $"<CHANGEResponse {Ns}><RETURN>{Row("A", "XX", "001", "Abort")}</RETURN></CHANGEResponse>";

        Assert.IsFalse(OrderEventSamples.Functions().ReadSapBapiResponse(new JValue(xml)).Succeeded);
    }

    [TestMethod]
    public void A_lock_by_another_user_is_transient()
    {
        var xml = $"<CHANGEResponse {Ns}><RETURN>{Row("E", "V1", "042", "SD 4711 is currently being processed by USER1")}</RETURN></CHANGEResponse>";

        var response = OrderEventSamples.Functions().ReadSapBapiResponse(new JValue(xml));

        Assert.IsFalse(response.Succeeded);
        Assert.IsTrue(response.IsTransient);
    }

    [TestMethod]
    public void Warnings_alone_do_not_fail_and_empty_rows_are_ignored()
    {
        var xml = $"<CHANGEResponse {Ns}><RETURN>{Row("W", "V1", "555", "Check delivery date")}<BAPIRET2 {Types}><TYPE/><MESSAGE/></BAPIRET2></RETURN></CHANGEResponse>";

        var response = OrderEventSamples.Functions().ReadSapBapiResponse(new JValue(xml));

        Assert.IsTrue(response.Succeeded);
        Assert.AreEqual(1, response.Messages.Count);
    }

    [TestMethod]
    public void A_prefixed_response_and_the_action_output_object_are_both_read()
    {
        var xml = "<ns0:CREATEFROMDAT2Response xmlns:ns0=\"http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032\" xmlns:ns3=\"http://Microsoft.LobServices.Sap/2007/03/Types/Rfc\">"
            + "<ns0:SALESDOCUMENT>0000000099</ns0:SALESDOCUMENT><ns0:RETURN><ns3:BAPIRET2><ns3:TYPE>S</ns3:TYPE></ns3:BAPIRET2></ns0:RETURN></ns0:CREATEFROMDAT2Response>";

        var response = OrderEventSamples.Functions().ReadSapBapiResponse(new JObject { ["content"] = xml, ["autoCommitResponse"] = "" });

        Assert.AreEqual("0000000099", response.SalesDocument);
        Assert.IsTrue(response.Succeeded);
    }

    [TestMethod]
    public void Malformed_empty_or_hostile_XML_fails_with_a_named_error_and_never_throws()
    {
        var functions = OrderEventSamples.Functions();
        Assert.AreEqual("MalformedResponse", functions.ReadSapBapiResponse(new JValue("<CREATEFROMDAT2Response><RETURN>")).Errors.Single().Code);
        Assert.AreEqual("EmptyResponse", functions.ReadSapBapiResponse(new JValue("")).Errors.Single().Code);
        Assert.AreEqual("EmptyResponse", functions.ReadSapBapiResponse(new JValue(42)).Errors.Single().Code);
        var entityBomb = "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><r>&b;</r>";
        var response = functions.ReadSapBapiResponse(new JValue(entityBomb));
        Assert.IsFalse(response.Succeeded);
        Assert.AreEqual("MalformedResponse", response.Errors.Single().Code, "DTDs are prohibited");
    }
}
