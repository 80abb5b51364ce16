using LocalLogicApp.StandIns.Sap;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;

namespace LocalLogicApp.Bindings.Sap;

/// <summary>
/// The SAP built-in connector (<c>/serviceProviders/sap</c>, https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/sap/) over <see cref="FakeSapSystem"/>:
/// <c>bapiCallMethod</c> (<c>businessObject</c>, <c>method</c>, <c>autoCommit</c>, <c>body</c>, <c>sessionId</c>
/// → <c>{content, autoCommitResponse}</c>), <c>bapiCommit</c> (<c>sessionId</c>, <c>wait</c>, <c>closeSession</c>),
/// <c>bapiRollback</c>, <c>createSession</c> (→ <c>{sessionId}</c>) and <c>closeSession</c>. The connection's
/// parameters (host, client, credentials) are accepted and not used: the fake is the only system. A BAPI's
/// business errors are not a failed action (they are in RETURN, as with SAP); a lost RFC connection is
/// (502, <c>RfcCommunicationFailure</c>), and so is a wrong call (400).
/// </summary>
public sealed class SapBinding(FakeSapSystem sap) : IServiceProviderBinding
{
    public const string Id = "/serviceProviders/sap";

    public string ServiceProviderId => Id;

    public Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        try
        {
            return Task.FromResult(request.OperationId switch
            {
                FakeSapSystem.CallBapiOperation => CallBapi(p),
                FakeSapSystem.CommitOperation => Ok(new JObject
                {
                    ["content"] = sap.Commit(Required(p, "sessionId"), Flag(p, "wait", true), Flag(p, "closeSession", false)),
                }),
                FakeSapSystem.RollbackOperation => Done(() =>
                {
                    sap.Rollback(Required(p, "sessionId"));
                    if (Flag(p, "closeSession", false)) sap.CloseSession(Required(p, "sessionId"));
                }),
                FakeSapSystem.CreateSessionOperation => Ok(new JObject { ["sessionId"] = sap.CreateSession() }),
                FakeSapSystem.CloseSessionOperation => Done(() => sap.CloseSession(Required(p, "sessionId"))),
                _ => ServiceProviderFailure.Create(400, "OperationNotSupported",
                    $"The local SAP connector supports bapiCallMethod, bapiCommit, bapiRollback, createSession and closeSession, not '{request.OperationId}'."),
            });
        }
        catch (SapCommunicationException ex)
        {
            return Task.FromResult(ServiceProviderFailure.Create(502, "RfcCommunicationFailure", ex.Message));
        }
        catch (SapCallException ex)
        {
            return Task.FromResult(ServiceProviderFailure.Create(400, ex.Code, ex.Message));
        }
        catch (MissingParameterException ex)
        {
            return Task.FromResult(ServiceProviderFailure.Create(400, "InvalidParameters", ex.Message));
        }
    }

    public Task RunTriggerAsync(ServiceProviderRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The local SAP connector has no triggers (this project does not receive IDocs).");

    private ConnectorResponse CallBapi(JObject p)
    {
        var result = sap.CallBapi(
            Optional(p, "sessionId"),
            Required(p, "businessObject"),
            Required(p, "method"),
            Required(p, "body"),
            Flag(p, "autoCommit", false));
        return Ok(new JObject
        {
            ["content"] = result.ResponseXml,
            ["autoCommitResponse"] = result.AutoCommitResponseXml,
        });
    }

    private static ConnectorResponse Ok(JObject body) => new(200, body);

    private static ConnectorResponse Done(Action action)
    {
        action();
        return new ConnectorResponse(200, new JObject());
    }

    private static string Required(JObject p, string name) =>
        Optional(p, name) ?? throw new MissingParameterException($"The parameter '{name}' is required.");

    private static string? Optional(JObject p, string name)
    {
        var token = p.GetValue(name, StringComparison.OrdinalIgnoreCase);
        return token is null || token.Type == JTokenType.Null || string.IsNullOrEmpty(token.ToString()) ? null : token.ToString();
    }

    private static bool Flag(JObject p, string name, bool defaultValue)
    {
        var token = p.GetValue(name, StringComparison.OrdinalIgnoreCase);
        return token?.Type switch
        {
            JTokenType.Boolean => (bool)token,
            JTokenType.String => bool.TryParse((string?)token, out var value) ? value : defaultValue,
            _ => defaultValue,
        };
    }

    private sealed class MissingParameterException(string message) : Exception(message);
}
