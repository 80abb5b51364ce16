using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Messaging;
using OrderEvents.CustomCode.Storage;
using Simulation.Generation;
using Simulation.Observation;

namespace Simulation.Running;

/// <summary>
/// Power Platform's side of the day: posts every event to the intake workflow's Request trigger over HTTP, as the flow
/// does, with several posts in flight and never more than <c>window</c> events accepted and not yet settled by every
/// subscriber (the queue of a real day drains as it fills; without a bound the broker's TTL would expire the tail),
/// unless the window stays full for <see cref="StallTimeout"/> with nothing done (then its events are stuck or lost).
/// A post that fails (no answer, 5xx, 429) is retried until the intake accepts it; an event planned as a duplicate is
/// posted again, either right away (the topic's duplicate detection drops it) or after the detection window (the
/// subscribers' idempotency must hold). Events of pre-claim-checked orders travel as envelopes whose payload was put
/// in the lake before the day started.
/// </summary>
public sealed class Publisher
{
    /// <summary>The topic's duplicate detection window (deploy/servicebus/Config.json, PT5M) plus a margin.</summary>
    private static readonly TimeSpan LateRepeat = TimeSpan.FromMinutes(6);

    private readonly OrderDay day;
    private readonly DayMetrics metrics;
    private readonly TimeProvider clock;
    private readonly Func<Uri> intake;
    private readonly HttpClient http;
    private readonly PriorityQueue<EventRef, long> lateRepeats = new();
    private readonly Action<string> log;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> refused = new();
    private int next = -1;
    private SemaphoreSlim room = new(int.MaxValue);
    private int stalled;

    /// <summary>How long a post may wait for a slot of the window with no event done before the window is dropped: its
    /// events are stuck or lost (a defect the day's checks must name), and waiting on would hang the day instead.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public Publisher(OrderDay day, DayMetrics metrics, TimeProvider clock, Func<Uri> intake, int connections, Action<string> log)
    {
        this.day = day;
        this.metrics = metrics;
        this.clock = clock;
        this.intake = intake;
        this.log = log;
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = TimeSpan.FromSeconds(100),
        };
    }

    /// <summary>Puts the payload of every pre-claim-checked event in the lake, as the publisher of a large order does
    /// before posting its envelope (ClaimChecks: <c>claimchecks/{type}/v1/yyyy/MM/dd/{messageId}.json</c>).</summary>
    public static async Task<int> StoreClaimChecksAsync(OrderDay day, IObjectStore store, string lakeContainer, CancellationToken cancellationToken)
    {
        var stored = 0;
        for (var order = 0; order < day.Orders; order++)
        {
            var plan = day.Plan(order);
            if (!plan.PreClaimChecked) continue;
            foreach (var kind in plan.Kinds())
            {
                var (envelope, payload) = ClaimCheck(plan, kind, lakeContainer);
                var path = envelope["payloadReference"]!.Value<string>("path")!;
                await store.TryCreateAsync(lakeContainer, path, payload, "application/json", cancellationToken).ConfigureAwait(false);
                stored++;
            }
        }
        return stored;
    }

    /// <summary>Posts the events in <paramref name="schedule"/> order with <paramref name="workers"/> posts in flight.</summary>
    public async Task RunAsync(EventRef[] schedule, int workers, int window, string lakeContainer, CancellationToken cancellationToken)
    {
        // One slot of the window per event posted, given back when the event is done (or refused): a worker waits for a
        // slot without polling (64 workers polling every 2 ms were ~2 % of a day's CPU, timers and wake-ups included).
        // Not disposed: a late event done after the day's posting may still give its slot back.
        var slots = new SemaphoreSlim(window, int.MaxValue);
        room = slots;
        void GiveBack() => slots.Release();
        metrics.EventDone += GiveBack;
        try
        {
            var posting = Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(schedule, lakeContainer, cancellationToken), cancellationToken)).ToArray();
            await Task.WhenAll(posting).ConfigureAwait(false);
        }
        finally
        {
            metrics.EventDone -= GiveBack;
        }
        // Late repeats, each once its time has come (after the duplicate detection window).
        while (true)
        {
            EventRef e;
            long due;
            lock (lateRepeats)
            {
                if (!lateRepeats.TryPeek(out e, out due)) break;
            }
            var wait = new DateTimeOffset(due, TimeSpan.Zero) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            lock (lateRepeats) lateRepeats.Dequeue();
            await PostUntilAnsweredAsync(e, lakeContainer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WorkAsync(EventRef[] schedule, string lakeContainer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var index = Interlocked.Increment(ref next);
            if (index >= schedule.Length) return;
            if (Volatile.Read(ref stalled) == 0 && !await room.WaitAsync(StallTimeout, cancellationToken).ConfigureAwait(false)) Stall();
            var e = schedule[index];
            await PreviousEventAcceptedAsync(e, cancellationToken).ConfigureAwait(false);
            await PostUntilAnsweredAsync(e, lakeContainer, cancellationToken).ConfigureAwait(false);
            if (!day.Plan(e.Order).IsRepeated(e.Kind)) continue;
            if (e.Order % 2 == 0)
            {
                await PostUntilAnsweredAsync(e, lakeContainer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                lock (lateRepeats) lateRepeats.Enqueue(e, (clock.GetUtcNow() + LateRepeat).UtcTicks);
            }
        }
    }

    private void Stall()
    {
        if (Interlocked.Exchange(ref stalled, 1) == 0)
            log($"the publisher's window has been full for {StallTimeout.TotalSeconds:0} s with no event done: accepted events are stuck or lost (the checks will name them); posting the rest without the window");
    }

    /// <summary>An order's events are posted one after the other, as the flow that publishes them does: the next one only
    /// once the intake accepted the one before (in publishing order, so an out-of-order order waits the other way round).</summary>
    private async Task PreviousEventAcceptedAsync(EventRef e, CancellationToken cancellationToken)
    {
        var plan = day.Plan(e.Order);
        var kinds = plan.Kinds().ToList();
        if (plan.OutOfOrder)
        {
            // The last event was moved before the one preceding it.
            (kinds[^1], kinds[^2]) = (kinds[^2], kinds[^1]);
        }
        var position = kinds.IndexOf(e.Kind);
        if (position <= 0) return;
        var previous = new EventRef(e.Order, kinds[position - 1]);
        while (metrics.Ledger.AcceptedCount(previous) == 0 && !refused.ContainsKey(previous.Slot))
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PostUntilAnsweredAsync(EventRef e, string lakeContainer, CancellationToken cancellationToken)
    {
        var plan = day.Plan(e.Order);
        var text = plan.PreClaimChecked ? ClaimCheck(plan, e.Kind, lakeContainer).Envelope.ToString(Formatting.None) : plan.EventText(e.Kind);
        var backOff = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            metrics.Posted();
            HttpStatusCode? status = null;
            string? answer = null;
            try
            {
                using var content = new StringContent(text, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(intake(), content, cancellationToken).ConfigureAwait(false);
                status = response.StatusCode;
                if (status == HttpStatusCode.Accepted)
                {
                    metrics.Accepted(e, clock.GetUtcNow());
                    return;
                }
                answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                answer = ex.Message;
            }
            if (status is HttpStatusCode.BadRequest)
            {
                // The contract refused a generated event: a defect of the generator or the intake, not a fault.
                metrics.Refused();
                if (refused.TryAdd(e.Slot, true)) room.Release(); // never accepted, so never done
                metrics.Ledger.Anomaly($"the intake refused {metrics.Ledger.Describe(e)} with 400: {Shorten(answer)}");
                return;
            }
            if (attempt % 20 == 0) log($"posting {day.MessageId(e)}: attempt {attempt} answered {(int?)status} {Shorten(answer)}; retrying");
            await Task.Delay(backOff, cancellationToken).ConfigureAwait(false);
            backOff = TimeSpan.FromMilliseconds(Math.Min(backOff.TotalMilliseconds * 2, 2000));
        }
    }

    /// <summary>An event as a claim check: the envelope the flow posts and the payload it stored first.</summary>
    private static (JObject Envelope, byte[] Payload) ClaimCheck(OrderPlan plan, EventKind kind, string lakeContainer)
    {
        var full = plan.Event(kind);
        var payload = Encoding.UTF8.GetBytes(full.ToString(Formatting.None));
        var occurred = plan.OccurredUtc(kind);
        var messageId = full.Value<string>("messageId")!;
        var envelope = new JObject
        {
            ["schemaVersion"] = full["schemaVersion"]!.DeepClone(),
            ["messageId"] = messageId,
            ["correlationId"] = full["correlationId"]!.DeepClone(),
            ["eventType"] = full["eventType"]!.DeepClone(),
            ["source"] = full["source"]!.DeepClone(),
            ["occurredUtc"] = full["occurredUtc"]!.DeepClone(),
            ["payloadReference"] = new JObject
            {
                ["path"] = ClaimChecks.PathFor(full.Value<string>("eventType")!, 1, occurred, messageId),
                ["container"] = lakeContainer,
                ["sizeBytes"] = payload.Length,
                ["sha256"] = ClaimChecks.Sha256Hex(payload),
            },
        };
        return (envelope, payload);
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 300 ? text : text[..300] + "…";
}
