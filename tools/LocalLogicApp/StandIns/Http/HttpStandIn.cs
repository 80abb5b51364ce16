using System.Net;
using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Recording;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.StandIns.Http;

/// <summary>
/// A downstream HTTP API played on 127.0.0.1 (a free port chosen at start). Every request is counted and the newest
/// <see cref="RecordLimit"/> are kept with their answers; <see cref="Faults"/> injects throttling, server errors, rejections, delays and timeouts by
/// call count. Subclasses only name operations and answer them (<see cref="HandleAsync"/>), so they can be
/// exercised without the network through <see cref="SendAsync"/>.
/// </summary>
public abstract class HttpStandIn : IAsyncDisposable
{
    private readonly RecentRecords<RecordedRequest> requests = new();
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? server;
    private int sequence;

    protected HttpStandIn(string name, TimeProvider? clock = null)
    {
        Name = name;
        Clock = clock ?? TimeProvider.System;
    }

    public string Name { get; }

    protected TimeProvider Clock { get; }

    public FaultPlan<HttpFault> Faults { get; } = new();

    /// <summary>Decides a fault for a call the plan leaves alone (random faults of a simulation): operation, request → fault or null.</summary>
    public Func<string, StandInRequest, HttpFault?>? FaultSource { get; set; }

    /// <summary>How many of the newest requests, and of the stand-in's own records (messages sent, cards posted,
    /// reservation changes), are kept for assertions and reports; older ones are forgotten, every one is counted. Default
    /// <see cref="RecentRecords{T}.DefaultLimit"/>; 0 keeps none (a long simulation listens to the stand-in's events instead).</summary>
    public int RecordLimit
    {
        get => requests.Limit;
        set
        {
            requests.Limit = value;
            OnRecordLimitChanged(value);
        }
    }

    /// <summary>Keep records (the newest <see cref="RecentRecords{T}.DefaultLimit"/>) or none: a shorthand for
    /// <see cref="RecordLimit"/>.</summary>
    public bool KeepRecords
    {
        get => RecordLimit > 0;
        set => RecordLimit = value ? RecentRecords<RecordedRequest>.DefaultLimit : 0;
    }

    /// <summary>Applies a new <see cref="RecordLimit"/> to the stand-in's own records.</summary>
    protected virtual void OnRecordLimitChanged(int limit)
    {
    }

    /// <summary>True once <see cref="StartAsync"/> has run.</summary>
    public bool IsStarted => server is not null;

    /// <summary>The base address once started, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseUri => server is null ? throw new InvalidOperationException($"The {Name} stand-in is not started.") : baseUri!;

    private Uri? baseUri;

    /// <summary>The newest requests received (at most <see cref="RecordLimit"/>), in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => requests.Snapshot();

    /// <summary>Every request received since the start (or the last <see cref="ClearRecordings"/>), kept or not.</summary>
    public long RequestCount => requests.Total;

    /// <summary>Forgets recorded requests and planned faults (state such as stock is kept).</summary>
    public void ClearRecordings()
    {
        requests.Clear();
        Faults.Reset();
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (server is not null) return;
        var app = LocalLogicApp.Hosting.LoopbackServer.CreateBuilder(GetType().Assembly.GetName().Name!, 0).Build();
        app.Run(ServeAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        baseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        server = app;
    }

    /// <summary>Handles one request as the HTTP endpoint would: counts it, applies a planned fault or
    /// answers normally, and records both.</summary>
    public async Task<StandInResponse> SendAsync(StandInRequest request, CancellationToken cancellationToken = default)
    {
        var operation = OperationOf(request);
        var fault = Faults.OnCall(operation, out var callNumber) ?? FaultSource?.Invoke(operation, request);
        var receivedAt = Clock.GetUtcNow();
        var number = Interlocked.Increment(ref sequence);
        StandInResponse? response = null;
        try
        {
            if (fault is not null)
            {
                if (fault.Hang)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, Clock, cancellationToken).ConfigureAwait(false);
                }
                if (fault.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(fault.Delay, Clock, cancellationToken).ConfigureAwait(false);
                }
            }
            response = fault?.StatusCode is int status
                ? new StandInResponse(status, fault.Body, fault.Headers)
                : await HandleAsync(request, cancellationToken).ConfigureAwait(false);
            return response;
        }
        finally
        {
            if (requests.Keeps)
            {
                requests.Add(new RecordedRequest(number, operation, callNumber, receivedAt, request, response?.StatusCode, response?.Body?.DeepClone(), Describe(fault)));
            }
            else
            {
                requests.CountOnly();
            }
        }
    }

    /// <summary>The operation a request belongs to (fault rules and call counts are per operation).</summary>
    protected abstract string OperationOf(StandInRequest request);

    /// <summary>The downstream's normal answer.</summary>
    protected abstract Task<StandInResponse> HandleAsync(StandInRequest request, CancellationToken cancellationToken);

    protected static StandInResponse NotFound(StandInRequest request) =>
        StandInResponse.Json(404, new JObject { ["error"] = new JObject { ["code"] = "NotFound", ["message"] = $"No operation answers {request.Method} {request.Path}." } });

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (server is not null)
        {
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            server = null;
        }
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var request = new StandInRequest(
            context.Request.Method.ToUpperInvariant(),
            Uri.UnescapeDataString(context.Request.Path.Value ?? "/"),
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        StandInResponse response;
        try
        {
            response = await SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }
        context.Response.StatusCode = response.StatusCode;
        foreach (var header in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[header.Key] = header.Value;
        }
        if (response.Body is not null)
        {
            if (!context.Response.Headers.ContainsKey("Content-Type")) context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(response.Body.ToString(Formatting.None), context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string? Describe(HttpFault? fault) => fault switch
    {
        null => null,
        { Hang: true } => "timeout (no answer)",
        { StatusCode: int status, Delay.Ticks: > 0 } => $"{status} after {fault.Delay.TotalMilliseconds:0} ms",
        { StatusCode: int status } => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"slow ({fault.Delay.TotalMilliseconds:0} ms)",
    };
}
