using LocalLogicApp.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.StandIns.Sap;

/// <summary>
/// The fake SAP system served to another process on 127.0.0.1 (a free port): <c>POST /{operationId}</c> with the call's
/// parameters as JSON, the connector's operations (<c>createSession</c>, <c>closeSession</c>, <c>bapiCallMethod</c>,
/// <c>bapiCommit</c>, <c>bapiRollback</c>). An RFC communication failure answers 502 and a wrong call 400, each with
/// <c>{code, message}</c>; <see cref="SapGatewayClient"/> turns them back into the exceptions the binding handles.
/// </summary>
public sealed class SapGateway(FakeSapSystem sap) : IAsyncDisposable
{
    private WebApplication? server;

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackServer.CreateBuilder(nameof(SapGateway), 0).Build();
        app.Run(ServeAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        server = app;
    }

    private async Task ServeAsync(HttpContext context)
    {
        var operation = (context.Request.Path.Value ?? "").Trim('/');
        using var reader = new StreamReader(context.Request.Body);
        JObject call;
        try
        {
            call = JObject.Parse(await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false));
        }
        catch (JsonException ex)
        {
            await AnswerAsync(context, 400, Error("InvalidRequest", ex.Message)).ConfigureAwait(false);
            return;
        }
        try
        {
            var answer = operation switch
            {
                FakeSapSystem.CreateSessionOperation => new JObject { ["sessionId"] = sap.CreateSession() },
                FakeSapSystem.CloseSessionOperation => Done(() => sap.CloseSession(Text(call, "sessionId")!)),
                FakeSapSystem.RollbackOperation => Done(() => sap.Rollback(Text(call, "sessionId")!)),
                FakeSapSystem.CommitOperation => new JObject
                {
                    ["content"] = sap.Commit(Text(call, "sessionId")!, call.Value<bool?>("wait") ?? true, call.Value<bool?>("closeSession") ?? false),
                },
                FakeSapSystem.CallBapiOperation => Bapi(sap.CallBapi(Text(call, "sessionId"), Text(call, "businessObject")!, Text(call, "method")!, Text(call, "body")!,
                    call.Value<bool?>("autoCommit") ?? false)),
                _ => throw new SapCallException("OperationNotSupported", $"The SAP gateway has no operation '{operation}'."),
            };
            await AnswerAsync(context, 200, answer).ConfigureAwait(false);
        }
        catch (SapCommunicationException ex)
        {
            await AnswerAsync(context, 502, Error("RfcCommunicationFailure", ex.Message)).ConfigureAwait(false);
        }
        catch (SapCallException ex)
        {
            await AnswerAsync(context, 400, Error(ex.Code, ex.Message)).ConfigureAwait(false);
        }
    }

    private static JObject Bapi(SapBapiResult result) => new()
    {
        ["content"] = result.ResponseXml,
        ["autoCommitResponse"] = result.AutoCommitResponseXml,
        ["salesDocument"] = result.SalesDocument,
    };

    private static JObject Done(Action action)
    {
        action();
        return new JObject();
    }

    private static string? Text(JObject call, string name) => call[name]?.Type == JTokenType.String ? (string)call[name]! : null;

    private static JObject Error(string code, string message) => new() { ["code"] = code, ["message"] = message };

    private static async Task AnswerAsync(HttpContext context, int status, JObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToString(Formatting.None), context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is null) return;
        await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await server.DisposeAsync().ConfigureAwait(false);
        server = null;
    }
}

/// <summary>The SAP system of another process, reached through its <see cref="SapGateway"/>. No answer at all (the
/// gateway is gone) is a communication failure, as a lost RFC connection is.</summary>
public sealed class SapGatewayClient(Uri gateway, HttpClient http) : ISapSystem
{
    public async Task<string> CreateSessionAsync(CancellationToken cancellationToken) =>
        (await CallAsync(FakeSapSystem.CreateSessionOperation, new JObject(), cancellationToken).ConfigureAwait(false)).Value<string>("sessionId")!;

    public Task CloseSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        CallAsync(FakeSapSystem.CloseSessionOperation, new JObject { ["sessionId"] = sessionId }, cancellationToken);

    public async Task<SapBapiResult> CallBapiAsync(string? sessionId, string businessObject, string method, string bodyXml, bool autoCommit, CancellationToken cancellationToken)
    {
        var answer = await CallAsync(FakeSapSystem.CallBapiOperation, new JObject
        {
            ["sessionId"] = sessionId,
            ["businessObject"] = businessObject,
            ["method"] = method,
            ["body"] = bodyXml,
            ["autoCommit"] = autoCommit,
        }, cancellationToken).ConfigureAwait(false);
        return new SapBapiResult(answer.Value<string>("content")!, answer.Value<string>("autoCommitResponse"), answer.Value<string>("salesDocument"), []);
    }

    public async Task<string> CommitAsync(string sessionId, bool wait, bool closeSession, CancellationToken cancellationToken) =>
        (await CallAsync(FakeSapSystem.CommitOperation, new JObject { ["sessionId"] = sessionId, ["wait"] = wait, ["closeSession"] = closeSession }, cancellationToken)
            .ConfigureAwait(false)).Value<string>("content")!;

    public Task RollbackAsync(string sessionId, CancellationToken cancellationToken) =>
        CallAsync(FakeSapSystem.RollbackOperation, new JObject { ["sessionId"] = sessionId }, cancellationToken);

    private async Task<JObject> CallAsync(string operation, JObject call, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var content = new StringContent(call.ToString(Formatting.None), System.Text.Encoding.UTF8, "application/json");
            response = await http.PostAsync(new Uri(gateway, operation), content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new SapCommunicationException($"RFC_COMMUNICATION_FAILURE: the SAP gateway {gateway} did not answer ({ex.Message})");
        }
        using (response)
        {
            var answer = JObject.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return (int)response.StatusCode switch
            {
                200 => answer,
                502 => throw new SapCommunicationException(answer.Value<string>("message") ?? "RFC_COMMUNICATION_FAILURE"),
                _ => throw new SapCallException(answer.Value<string>("code") ?? "SapCallFailed", answer.Value<string>("message") ?? $"The SAP gateway answered {(int)response.StatusCode}."),
            };
        }
    }
}
