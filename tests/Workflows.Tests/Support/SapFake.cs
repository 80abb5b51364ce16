using System.Xml.Linq;
using LocalLogicApp.Bindings;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;

namespace Workflows.Tests.Support;

/// <summary>
/// Plays the SAP built-in connector (<c>/serviceProviders/sap</c>): <c>bapiCallMethod</c> answering
/// the XML the connector returns (a <c>&lt;METHODResponse&gt;</c> with <c>SALESDOCUMENT</c> and the
/// <c>RETURN</c> table, the shape <c>ReadSapBapiResponse</c> reads) and, with <c>autoCommit</c>, the commit's answer in
/// <c>autoCommitResponse</c>; sessions, commit and rollback for workflows that manage the transaction themselves. By default every
/// call is accepted and each create gets the next sales document number; queue a rejection or an RFC
/// communication failure for the next calls.
/// </summary>
public sealed class SapFake
{
    public const string ServiceProviderId = "/serviceProviders/sap";
    private static readonly XNamespace Bapi = "http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/";
    private static readonly XNamespace Rfc = "http://Microsoft.LobServices.Sap/2007/03/Rfc/";

    private readonly FakeServiceProviderBinding binding;
    private readonly Queue<Func<ServiceProviderRequest, ConnectorResponse>> nextCalls = new();
    private readonly Lock gate = new();
    private Action? beforeNextCall;
    private int sessions;
    private int documents = 12344;
    private readonly List<ServiceProviderRequest> committed = [];

    public SapFake(FakeServiceProviderBinding binding)
    {
        this.binding = binding;
        binding.On("createSession", _ => Ok(new JObject { ["sessionId"] = $"sap-session-{Interlocked.Increment(ref sessions)}" }));
        binding.On("bapiCallMethod", CallBapi);
        binding.On("bapiCommit", _ => Ok(new JObject { ["content"] = Response(Rfc + "BAPI_TRANSACTION_COMMITResponse", null, Message("S", "", "000", "")).ToString(SaveOptions.DisableFormatting) }));
        binding.On("bapiRollback", _ => Ok(new JObject()));
        binding.On("closeSession", _ => Ok(new JObject()));
    }

    /// <summary>Every <c>bapiCallMethod</c> the workflows made (accepted or not).</summary>
    public IReadOnlyList<ServiceProviderRequest> BapiCalls => binding.CallsTo("bapiCallMethod");

    public IReadOnlyList<ServiceProviderRequest> Calls(string operationId) => binding.CallsTo(operationId);

    /// <summary>The BAPI calls SAP committed (auto-commit of an accepted call).</summary>
    public IReadOnlyList<ServiceProviderRequest> Committed
    {
        get { lock (gate) return committed.ToArray(); }
    }

    /// <summary>The next BAPI call is accepted with a warning only: the connector's auto-commit then commits nothing.</summary>
    public void WarnOnNextCall(string id, string number, string message)
    {
        lock (gate) nextCalls.Enqueue(request => Ok(new JObject { ["content"] = ResponseXml(request, null, Message("W", id, number, message)) }));
    }

    /// <summary>The sales document number the next accepted create gets.</summary>
    public string NextSalesDocument
    {
        get { lock (gate) return (documents + 1).ToString("D10"); }
    }

    /// <summary>The next BAPI call answers with a RETURN row of TYPE E (SAP refuses it; the action succeeds).</summary>
    public void RejectNextCall(string id, string number, string message)
    {
        lock (gate) nextCalls.Enqueue(request => Ok(new JObject { ["content"] = ResponseXml(request, null, Message("E", id, number, message)) }));
    }

    /// <summary>The next <paramref name="times"/> BAPI calls lose the RFC connection (the action fails, 502).</summary>
    public void FailNextCalls(int times)
    {
        lock (gate)
        {
            for (var i = 0; i < times; i++)
                nextCalls.Enqueue(_ => ServiceProviderFailure.Create(502, "RfcCommunicationFailure", "RFC_COMMUNICATION_FAILURE: partner not reached (host sap.local, service 3300)"));
        }
    }

    /// <summary>Runs <paramref name="action"/> when the next BAPI call arrives (e.g. a lock expiring while SAP works).</summary>
    public void BeforeNextCall(Action action)
    {
        lock (gate) beforeNextCall = action;
    }

    private ConnectorResponse CallBapi(ServiceProviderRequest request)
    {
        lock (gate)
        {
            var before = beforeNextCall;
            beforeNextCall = null;
            before?.Invoke();
            if (nextCalls.TryDequeue(out var scripted)) return scripted(request);
            var creates = (request.Parameters.Value<string>("method") ?? "").StartsWith("CREATEFROMDAT2", StringComparison.OrdinalIgnoreCase);
            var document = creates ? (++documents).ToString("D10") : null;
            var text = creates ? $"Standard Order {document} has been saved" : "Sales document has been changed";
            var answer = new JObject { ["content"] = ResponseXml(request, document, Message("S", "V1", creates ? "311" : "312", text)) };
            if (request.Parameters.Value<bool?>("autoCommit") == true)
            {
                // The connector commits a response without errors and warnings itself and returns BAPI_TRANSACTION_COMMIT's answer.
                answer["autoCommitResponse"] = Response(Rfc + "BAPI_TRANSACTION_COMMITResponse", null, Message("S", "", "000", "")).ToString(SaveOptions.DisableFormatting);
                committed.Add(request);
            }
            return Ok(answer);
        }
    }

    private static string ResponseXml(ServiceProviderRequest request, string? salesDocument, XElement message)
    {
        var method = (request.Parameters.Value<string>("method") ?? "CREATEFROMDAT2").Split(':')[0];
        return Response(Bapi + (method + "Response"), salesDocument, message).ToString(SaveOptions.DisableFormatting);
    }

    private static XElement Response(XName name, string? salesDocument, XElement message)
    {
        var ns = name.Namespace;
        var response = new XElement(name);
        if (salesDocument is not null) response.Add(new XElement(ns + "SALESDOCUMENT", salesDocument));
        response.Add(new XElement(ns + "RETURN", new XElement(ns + "BAPIRET2",
            message.Elements().Select(e => new XElement(ns + e.Name.LocalName, e.Value)))));
        return response;
    }

    private static XElement Message(string type, string id, string number, string text) => new("BAPIRET2",
        new XElement("TYPE", type), new XElement("ID", id), new XElement("NUMBER", number), new XElement("MESSAGE", text));

    private static ConnectorResponse Ok(JObject body) => new(200, body);
}
