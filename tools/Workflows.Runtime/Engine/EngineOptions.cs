using Microsoft.Extensions.Logging;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Engine;

/// <summary>What the engine talks to. Every edge is replaceable, so tests run deterministically in memory.</summary>
public sealed class EngineOptions
{
    /// <summary>The clock for timestamps, <c>utcNow()</c>, action timeouts and Until timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How the engine waits (retry intervals, <c>Retry-After</c>, the Wait action, Recurrence). Default:
    /// <c>Task.Delay</c> on <see cref="TimeProvider"/>. Tests pass a virtual clock's delay that advances instantly.
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    /// <summary>Runs InvokeFunction actions (custom code).</summary>
    public IFunctionInvoker? FunctionInvoker { get; init; }

    /// <summary>Built-in connectors (ServiceProvider actions and triggers), chosen by <c>serviceProviderId</c>.</summary>
    public IEnumerable<IServiceProviderBinding> ServiceProviderBindings { get; init; } = [];

    /// <summary>Managed connectors (ApiConnection actions).</summary>
    public IApiConnectionBinding? ApiConnectionBinding { get; init; }

    /// <summary>Managed connectors as Power Automate calls them (OpenApiConnection actions, OpenApiConnectionWebhook
    /// triggers), chosen by the API name at the end of <c>host.apiId</c>.</summary>
    public IEnumerable<IOpenApiConnectionBinding> OpenApiConnectionBindings { get; init; } = [];

    /// <summary>Gets the access token of an HTTP action's <c>ActiveDirectoryOAuth</c> authentication (Microsoft
    /// Entra ID's client-credentials grant in Azure). Null: such requests go out without a token.</summary>
    public Func<OAuthTokenRequest, CancellationToken, Task<string>>? AccessTokens { get; init; }

    /// <summary>Sends the Http action's requests (default: the machine's network stack).</summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>Where runs are recorded (default: a new <see cref="InMemoryRunHistory"/>).</summary>
    public IRunHistory? RunHistory { get; init; }

    /// <summary>Randomness for exponential retry intervals (seed it for repeatable tests).</summary>
    public Random? Random { get; init; }

    /// <summary>Loggers handed to C# scripts (<c>ILogger log</c>).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
