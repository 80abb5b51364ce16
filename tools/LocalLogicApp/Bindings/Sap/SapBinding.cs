using LocalLogicApp.StandIns.Sap;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;

namespace LocalLogicApp.Bindings.Sap;

/// <summary>
/// The SAP built-in connector (<c>/serviceProviders/sap</c>, https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/sap/) over an
/// <see cref="ISapSystem"/> (the fake SAP system, in this process or behind <see cref="SapGateway"/>):
/// <c>bapiCallMethod</c> (<c>businessObject</c>, <c>method</c>, <c>autoCommit</c>, <c>body</c>, <c>sessionId</c>
/// → <c>{content, autoCommitResponse}</c>), <c>bapiCommit</c> (<c>sessionId</c>, <c>wait</c>, <c>closeSession</c>),
/// <c>bapiRollback</c>, <c>createSession</c> (→ <c>{sessionId}</c>) and <c>closeSession</c>. The connection's
/// parameters (host, client, credentials) are accepted and not used: the fake is the only system. A BAPI's
/// business errors are not a failed action (they are in RETURN, as with SAP); a lost RFC connection is
/// (502, <c>RfcCommunicationFailure</c>), and so is a wrong call (400).
/// </summary>
public sealed class SapBinding(ISapSystem sap) : IServiceProviderBinding
{
    public const string Id = "/serviceProviders/sap";

    public string ServiceProviderId => Id;

    public async Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        try
        {
            switch (request.OperationId)
            {
                case FakeSapSystem.CallBapiOperation:
                    var result = await sap.CallBapiAsync(Optional(p, "sessionId"), Required(p, "businessObject"), Required(p, "method"), Required(p, "body"),
                        Flag(p, "autoCommit", false), cancellationToken).ConfigureAwait(false);
                    return Ok(new JObject { ["content"] = result.ResponseXml, ["autoCommitResponse"] = result.AutoCommitResponseXml });
                case FakeSapSystem.CommitOperation:
                    var committed = await sap.CommitAsync(Required(p, "sessionId"), Flag(p, "wait", true), Flag(p, "closeSession", false), cancellationToken).ConfigureAwait(false);
                    return Ok(new JObject { ["content"] = committed });
                case FakeSapSystem.RollbackOperation:
                    await sap.RollbackAsync(Required(p, "sessionId"), cancellationToken).ConfigureAwait(false);
                    if (Flag(p, "closeSession", false)) await sap.CloseSessionAsync(Required(p, "sessionId"), cancellationToken).ConfigureAwait(false);
                    return Ok(new JObject());
                case FakeSapSystem.CreateSessionOperation:
                    return Ok(new JObject { ["sessionId"] = await sap.CreateSessionAsync(cancellationToken).ConfigureAwait(false) });
                case FakeSapSystem.CloseSessionOperation:
                    await sap.CloseSessionAsync(Required(p, "sessionId"), cancellationToken).ConfigureAwait(false);
                    return Ok(new JObject());
                default:
                    return ServiceProviderFailure.Create(400, "OperationNotSupported",
                        $"The local SAP connector supports bapiCallMethod, bapiCommit, bapiRollback, createSession and closeSession, not '{request.OperationId}'.");
            }
        }
        catch (SapCommunicationException ex)
        {
            return ServiceProviderFailure.Create(502, "RfcCommunicationFailure", ex.Message);
        }
        catch (SapCallException ex)
        {
            return ServiceProviderFailure.Create(400, ex.Code, ex.Message);
        }
        catch (MissingParameterException ex)
        {
            return ServiceProviderFailure.Create(400, "InvalidParameters", ex.Message);
        }
    }

    public Task RunTriggerAsync(ServiceProviderRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The local SAP connector has no triggers (this project does not receive IDocs).");

    private static ConnectorResponse Ok(JObject body) => new(200, body);

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
