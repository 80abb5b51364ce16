using System.Runtime.CompilerServices;
using LocalLogicApp.Bindings.ServiceBus;
using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Sap;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Storage;
using Simulation.Checking;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;

namespace Simulation.Faults;

/// <summary>
/// Puts a <see cref="FaultProfile"/> into the running stack. Downstream faults come from the stand-ins themselves (their
/// fault source asks here for every call): transient SAP communication failures and lost SAP replies, Twilio, warehouse
/// and Teams answering 5xx, 429 with Retry-After or a gateway timeout; lake writes failing like an unreachable account.
/// Run faults act where a subscriber run calls out (custom code, SAP, HTTP): a host crash stops the run where it is
/// (before or after the call took effect) and the restarted host resumes it; a lock loss makes the broker take the
/// message back during the call. Every decision is drawn from generators seeded by the day's seed, one per fault kind.
/// </summary>
public sealed class FaultInjector
{
    private static readonly HashSet<string> SubscriberWorkflows = Subscribers.All.Select(s => s.Workflow()).ToHashSet(StringComparer.Ordinal);

    private readonly FaultProfile profile;
    private readonly Dice dice;
    private readonly ConditionalWeakTable<WorkflowRun, RunPlan> plans = new();
    private long crashes, lockLosses, transients, lostReplies;

    public FaultInjector(FaultProfile profile, int seed)
    {
        this.profile = profile;
        dice = new Dice(seed);
    }

    /// <summary>The engine whose runs crash (set once the host has started).</summary>
    public WorkflowEngine? Engine { get; set; }

    /// <summary>The Service Bus connector whose locks get lost.</summary>
    public ServiceBusBinding? ServiceBus { get; set; }

    /// <summary>Ends an SAP session as a dropped RFC connection does: work not committed is gone (set by the simulation).</summary>
    public Action<string>? DropSapSession { get; set; }

    public long Crashes => Interlocked.Read(ref crashes);
    public long LockLosses => Interlocked.Read(ref lockLosses);
    public long Transients => Interlocked.Read(ref transients);
    public long LostReplies => Interlocked.Read(ref lostReplies);

    // ---- Downstream faults (stand-in fault sources) --------------------------------------------------------------

    public HttpFault? Twilio(string operation, StandInRequest request) => HttpTransient("twilio", profile.Transient.Twilio);

    public HttpFault? Warehouse(string operation, StandInRequest request) =>
        operation.StartsWith("GET", StringComparison.Ordinal) ? null : HttpTransient("warehouse", profile.Transient.Warehouse);

    public HttpFault? Teams(string operation, StandInRequest request) => HttpTransient("teams", profile.Transient.Teams);

    public SapFault? Sap(string operation)
    {
        if (operation is FakeSapSystem.CallBapiOperation or FakeSapSystem.CommitOperation or FakeSapSystem.CreateSessionOperation
            && dice.Roll("sap", profile.Transient.Sap))
        {
            Interlocked.Increment(ref transients);
            return SapFault.CommunicationFailure("connection to the SAP gateway reset (simulated)");
        }
        // SAP did the work and the reply was lost: a BAPI call with auto-commit (how SapFulfillment calls SAP) or a commit.
        if (operation is FakeSapSystem.CallBapiOperation or FakeSapSystem.CommitOperation && dice.Roll("sapReplyLost", profile.SapReplyLost))
        {
            Interlocked.Increment(ref lostReplies);
            return SapFault.ReplyLost("connection lost after SAP committed (simulated)");
        }
        return null;
    }

    private HttpFault? HttpTransient(string stream, double rate)
    {
        if (!dice.Roll(stream, rate)) return null;
        Interlocked.Increment(ref transients);
        return dice.Next(stream + ":kind", 4) switch
        {
            0 => HttpFault.ServerError(503, "The service is temporarily unavailable (simulated)."),
            1 => HttpFault.ServerError(500, "Internal server error (simulated)."),
            2 => HttpFault.TooManyRequests(TimeSpan.FromSeconds(5 + dice.Next(stream + ":retry", 26))),
            _ => HttpFault.ServerError(504, "The upstream did not answer in time (simulated).") with { Delay = TimeSpan.FromSeconds(30) },
        };
    }

    // ---- Lake faults and storage counting ---------------------------------------------------------------------------

    /// <summary>The custom code's store: lake writes fail like an unreachable account, and every operation is counted for
    /// the subscriber whose run made it (<see cref="CountingObjectStore"/>, owner = the subscriber id).</summary>
    public IObjectStore WrapStore(IObjectStore inner, string lakeContainer)
    {
        var counted = new CountingObjectStore(new FaultyStore(inner, this, lakeContainer), CurrentSubscriber);
        Storage = counted;
        return counted;
    }

    /// <summary>The store as counted (null until <see cref="WrapStore"/>).</summary>
    public CountingObjectStore? Storage { get; private set; }

    /// <summary>Storage operations the custom code made for <paramref name="subscriber"/> so far.</summary>
    public long StorageOperations(Subscriber subscriber) => Storage?.Of(subscriber.Id()).Transactions ?? 0;

    private static string? CurrentSubscriber() =>
        WorkflowEngine.CurrentRun is { } run && !run.WorkflowName.EndsWith("DeadLetters", StringComparison.Ordinal) && Subscribers.TryParse(run.WorkflowName, out var subscriber)
            ? subscriber.Id()
            : null;

    private bool LakeWriteFails() => dice.Roll("lake", profile.Transient.Lake) && Interlocked.Increment(ref transients) > 0;

    // ---- Run faults: crash and lock loss around a subscriber run's calls -------------------------------------------

    public IFunctionInvoker WrapFunctions(IFunctionInvoker inner) => new Functions(inner, this);

    public IServiceProviderBinding WrapServiceProvider(IServiceProviderBinding inner) =>
        inner.ServiceProviderId == LocalLogicApp.Bindings.Sap.SapBinding.Id ? new ServiceProviders(inner, this) : inner;

    public HttpMessageHandler WrapHttp(HttpMessageHandler inner) => new Http(inner, this);

    /// <summary>Runs one outbound call of the current run with the run's planned crash and lock loss.</summary>
    private async Task<T> AroundAsync<T>(Func<Task<T>> call)
    {
        var run = WorkflowEngine.CurrentRun;
        if (run is null || !SubscriberWorkflows.Contains(run.WorkflowName) || (profile.Crash == 0 && profile.LockLoss == 0)) return await call().ConfigureAwait(false);
        var plan = plans.GetValue(run, _ => NewPlan());
        var number = Interlocked.Increment(ref plan.Calls);
        if (number == plan.LoseLockAt && ServiceBus is { } bus && LockTokenOf(run) is { } token && await bus.LoseLockAsync(token).ConfigureAwait(false))
        {
            Interlocked.Increment(ref lockLosses);
        }
        if (number != plan.CrashAt) return await call().ConfigureAwait(false);
        if (!plan.CrashAfterCall) Crash(run);
        var result = await call().ConfigureAwait(false);
        Crash(run);
        return result;
    }

    private void Crash(WorkflowRun run)
    {
        if (Engine?.Interrupt(run) != true) return;
        Interlocked.Increment(ref crashes);
        // A host that dies drops its RFC connections: SAP discards what the run's sessions had not committed.
        if (plans.TryGetValue(run, out var plan))
        {
            string[] sessions;
            lock (plan.SapSessions) sessions = [.. plan.SapSessions];
            foreach (var session in sessions)
            {
                try { DropSapSession?.Invoke(session); } catch (Exception ex) when (ex is SapCallException or SapCommunicationException) { }
            }
        }
        throw new OperationCanceledException("The host died during this call (simulated crash).");
    }

    /// <summary>Remembers the SAP sessions a run opened (a crash drops them).</summary>
    private void SapSessionOpened(string sessionId)
    {
        if (WorkflowEngine.CurrentRun is { } run && plans.TryGetValue(run, out var plan))
        {
            lock (plan.SapSessions) plan.SapSessions.Add(sessionId);
        }
    }

    /// <summary>Which of its outbound calls a run crashes or loses its lock at: anywhere in the run (a subscriber run makes
    /// 4 to 10 of them), so a crash can fall before the side effect, during it, or after it and before settlement.</summary>
    private RunPlan NewPlan() => new()
    {
        CrashAt = dice.Roll("crash", profile.Crash) ? 1 + dice.Next("crash:at", CallsPerRun) : 0,
        CrashAfterCall = dice.Next("crash:when", 2) == 1,
        LoseLockAt = dice.Roll("lockLoss", profile.LockLoss) ? 1 + dice.Next("lockLoss:at", CallsPerRun) : 0,
    };

    private const int CallsPerRun = 6;

    private static string? LockTokenOf(WorkflowRun run) =>
        run.Trigger.Outputs is JObject outputs && outputs["body"] is JObject body ? body.Value<string>("lockToken") : null;

    private sealed class RunPlan
    {
        public int Calls;
        public int CrashAt;
        public bool CrashAfterCall;
        public int LoseLockAt;
        public readonly List<string> SapSessions = [];
    }

    private sealed class Functions(IFunctionInvoker inner, FaultInjector faults) : IFunctionInvoker
    {
        public bool HasFunction(string functionName) => inner.HasFunction(functionName);

        public Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken) =>
            faults.AroundAsync(() => inner.InvokeAsync(functionName, parameters, cancellationToken));
    }

    private sealed class ServiceProviders(IServiceProviderBinding inner, FaultInjector faults) : IServiceProviderBinding
    {
        public string ServiceProviderId => inner.ServiceProviderId;

        public Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken) =>
            faults.AroundAsync(async () =>
            {
                var response = await inner.InvokeActionAsync(request, cancellationToken).ConfigureAwait(false);
                if (request.OperationId == FakeSapSystem.CreateSessionOperation && response.Body is JObject body && body.Value<string>("sessionId") is { } session)
                {
                    faults.SapSessionOpened(session);
                }
                return response;
            });

        public Task RunTriggerAsync(ServiceProviderRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken) =>
            inner.RunTriggerAsync(trigger, fire, cancellationToken);
    }

    private sealed class Http(HttpMessageHandler inner, FaultInjector faults) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            faults.AroundAsync(() => base.SendAsync(request, cancellationToken));
    }

    private sealed class FaultyStore(IObjectStore inner, FaultInjector faults, string lakeContainer) : IObjectStore
    {
        public Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
            container == lakeContainer && name.StartsWith("orders/", StringComparison.Ordinal) && faults.LakeWriteFails()
                ? throw new HttpRequestException("The storage account could not be reached (simulated).")
                : inner.TryCreateAsync(container, name, content, contentType, cancellationToken);

        public Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default) => inner.ReadAsync(container, name, cancellationToken);

        public Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default) =>
            inner.TryReplaceAsync(container, name, content, contentType, ifMatchETag, cancellationToken);

        public Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default) =>
            inner.TryDeleteAsync(container, name, ifMatchETag, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string container, string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(container, prefix, cancellationToken);
    }

    /// <summary>One seeded generator per fault kind, so the rate of one kind does not shift the draws of another.</summary>
    private sealed class Dice(int seed)
    {
        private readonly Dictionary<string, Random> streams = new(StringComparer.Ordinal);

        public bool Roll(string stream, double rate) => rate > 0 && (rate >= 1 || Generator(stream, r => r.NextDouble()) < rate);

        public int Next(string stream, int exclusiveMax) => Generator(stream, r => r.Next(exclusiveMax));

        private T Generator<T>(string stream, Func<Random, T> draw)
        {
            lock (streams)
            {
                if (!streams.TryGetValue(stream, out var random))
                {
                    random = new Random(unchecked(seed * 31 + StableHash(stream)));
                    streams[stream] = random;
                }
                return draw(random);
            }
        }

        private static int StableHash(string text)
        {
            var hash = 17;
            foreach (var c in text) hash = unchecked(hash * 31 + c);
            return hash;
        }
    }
}
