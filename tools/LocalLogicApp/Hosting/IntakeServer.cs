using System.Net;
using LocalLogicApp.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Hosting;

/// <summary>An HTTP call of a workflow's Request trigger, as the intake received it.</summary>
public sealed record TriggerInvocation(
    string WorkflowName,
    string TriggerName,
    string Method,
    string RelativePath,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body);

/// <summary>The workflow's answer (its Response action, or 202 when it has none).</summary>
public sealed record TriggerAnswer(int StatusCode, JToken? Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Serves Request triggers like func does for Logic Apps Standard:
/// <c>http://127.0.0.1:&lt;port&gt;/api/&lt;workflow&gt;/triggers/&lt;trigger&gt;/invoke</c> (optionally followed by
/// <c>/&lt;relativePath&gt;</c>). The SAS query (<c>api-version</c>, <c>sp</c>, <c>sv</c>, <c>sig</c>) is accepted and
/// not checked: locally nobody else can reach the loopback port. With an <see cref="IntakeAuthentication"/> the
/// server keeps the door App Service authentication keeps in Azure: no valid token 401, a client the policy does not
/// allow 403, both logged without the token and before the body is read, so nothing runs and nothing is published.
/// Either way the identity headers only the platform may set are removed from what the workflow sees, and an
/// authenticated caller's object id is added as <c>X-MS-CLIENT-PRINCIPAL-ID</c> (<see cref="PrincipalHeaders"/>).
/// </summary>
public sealed class IntakeServer : IAsyncDisposable
{
    private static readonly HashSet<string> SignatureQuery = new(StringComparer.OrdinalIgnoreCase) { "api-version", "sp", "sv", "sig" };

    private readonly Func<TriggerInvocation, CancellationToken, Task<TriggerAnswer>> invoke;
    private readonly IntakeAuthentication? authentication;
    private readonly Action<string> log;
    private WebApplication? server;

    /// <param name="authentication">The token rule; null: the intake is open (no token asked).</param>
    /// <param name="log">Refused calls, one line each (never the token).</param>
    public IntakeServer(Func<TriggerInvocation, CancellationToken, Task<TriggerAnswer>> invoke, IntakeAuthentication? authentication = null, Action<string>? log = null)
    {
        this.invoke = invoke;
        this.authentication = authentication;
        this.log = log ?? (_ => { });
    }

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The address to call a workflow's Request trigger, with the query func prints.</summary>
    public Uri TriggerUrl(string workflowName, string triggerName) =>
        new(BaseUri, $"api/{Uri.EscapeDataString(workflowName)}/triggers/{Uri.EscapeDataString(triggerName)}/invoke?api-version=2022-05-01&sp=%2Ftriggers%2F{Uri.EscapeDataString(triggerName)}%2Frun&sv=1.0&sig=local");

    /// <param name="port">0 picks a free port.</param>
    public async Task StartAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(IntakeServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(ServeAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        server = app;
    }

    private async Task ServeAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/');
        if (segments.Length < 5 || !segments[0].Equals("api", StringComparison.OrdinalIgnoreCase) ||
            !segments[2].Equals("triggers", StringComparison.OrdinalIgnoreCase) || !segments[4].Equals("invoke", StringComparison.OrdinalIgnoreCase))
        {
            await WriteAsync(context, new TriggerAnswer(404, Error("NotFound",
                "Request triggers are served at /api/<workflow>/triggers/<trigger>/invoke."))).ConfigureAwait(false);
            return;
        }
        var headers = PrincipalHeaders.WithoutPlatformHeaders(context.Request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())));
        if (authentication is not null)
        {
            var outcome = await authentication.AuthenticateAsync(context.Request.Headers.Authorization.FirstOrDefault()).ConfigureAwait(false);
            if (!outcome.Allowed)
            {
                log($"intake: refused {context.Request.Method} {context.Request.Path} from {context.Connection.RemoteIpAddress}: {outcome.StatusCode} {outcome.Code}: {outcome.Message}");
                await WriteAsync(context, Refusal(outcome)).ConfigureAwait(false);
                return;
            }
            PrincipalHeaders.AddCaller(headers, outcome.Caller!);
        }
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var invocation = new TriggerInvocation(
            Uri.UnescapeDataString(segments[1]),
            Uri.UnescapeDataString(segments[3]),
            context.Request.Method.ToUpperInvariant(),
            string.Join('/', segments.Skip(5).Select(Uri.UnescapeDataString)),
            context.Request.Query.Where(q => !SignatureQuery.Contains(q.Key)).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            headers,
            body);
        TriggerAnswer answer;
        try
        {
            answer = await invoke(invocation, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            answer = new TriggerAnswer(500, Error("InternalServerError", ex.Message));
        }
        await WriteAsync(context, answer).ConfigureAwait(false);
    }

    /// <summary>401 carries the Bearer challenge of RFC 6750 section 3 (with <c>error="invalid_token"</c> when a token was sent).</summary>
    private static TriggerAnswer Refusal(AuthenticationOutcome outcome)
    {
        var challenge = outcome.StatusCode == 401 && outcome.Code != "MissingToken" ? "Bearer error=\"invalid_token\"" : "Bearer";
        var headers = outcome.StatusCode == 401 ? new Dictionary<string, string> { ["WWW-Authenticate"] = challenge } : null;
        return new TriggerAnswer(outcome.StatusCode, Error(outcome.Code, outcome.Message), headers);
    }

    internal static JObject Error(string code, string message) => new() { ["error"] = new JObject { ["code"] = code, ["message"] = message } };

    private static async Task WriteAsync(HttpContext context, TriggerAnswer answer)
    {
        context.Response.StatusCode = answer.StatusCode;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (answer.Body is null) return;
        if (answer.Body.Type == JTokenType.String)
        {
            if (!context.Response.Headers.ContainsKey("Content-Type")) context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync((string)answer.Body!, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (!context.Response.Headers.ContainsKey("Content-Type")) context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.Body.ToString(Formatting.None), context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is null) return;
        await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await server.DisposeAsync().ConfigureAwait(false);
        server = null;
    }
}
