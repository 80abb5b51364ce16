using System.Diagnostics;
using LocalLogicApp.Bindings.CustomCode;
using LocalLogicApp.Bindings.ServiceBus;
using LocalLogicApp.Hosting;
using LocalLogicApp.Samples;
using LocalLogicApp.Storage;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using Workflows.Runtime;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;

namespace Cli.Commands;

/// <summary>
/// Cost of the local engine on a REAL subscriber workflow of this repository (loaded from the repository root with
/// the settings of <c>local.settings.template.json</c>), with the real custom-code functions over an in-memory
/// store and in-memory connector fakes that answer at once, next to the same custom-code calls made directly in C#.
/// Every run gets its own business messageId, so idempotency claims, lake writes and completions do real work.
/// Options: --workflow LakeArchive|SmsNotification (default LakeArchive), --runs N (default 5000), --parallel N
/// (default 2), --repo PATH.
/// </summary>
public static class BenchmarkEngineCommand
{
    private const int Rounds = 3;
    private const int WarmUpRuns = 500;
    private const double RatioTarget = 5.0;
    private const double RunsPerSecondTarget = 5_000;

    public static async Task<int> RunAsync(CliArgs args)
    {
        var runs = args.GetInt("runs", 5_000, min: 1);
        var parallel = args.GetInt("parallel", 2, min: 1);
        var workflowName = args.Get("workflow") ?? "LakeArchive";
        if (!DirectSteps.Supports(workflowName))
            throw new CliUsageException($"--workflow must be one of {string.Join(", ", DirectSteps.Workflows)}, not '{workflowName}'.");

        var project = LogicAppProject.FromArgs(args);
        var settings = new Dictionary<string, string>(
            LocalAppSettings.ReadValues(project.PathOf(LogicAppProject.SettingsTemplateFile)), StringComparer.OrdinalIgnoreCase);
        var app = LogicApp.Load(project.Root, settings);
        var bench = new Bench(app, settings, workflowName, project.Root);

        // Warm-up: JIT, expression caches and the one Roslyn compilation of the .csx (cached afterwards).
        var warmUp = await bench.EngineRoundAsync(WarmUpRuns, 1);
        await bench.EngineRoundAsync(WarmUpRuns, parallel);
        await bench.DirectRoundAsync(WarmUpRuns);

        // Best of three rounds: the machine is shared, the best round is the least disturbed one.
        Round sequential = Round.Worst, concurrent = Round.Worst, direct = Round.Worst;
        for (var round = 0; round < Rounds; round++)
        {
            concurrent = Round.Best(concurrent, await bench.EngineRoundAsync(runs, parallel));
            sequential = Round.Best(sequential, await bench.EngineRoundAsync(runs, 1));
            direct = Round.Best(direct, await bench.DirectRoundAsync(runs));
        }

        var actions = warmUp.ActionsPerRun;
        var ratio = sequential.MicrosPerRun / direct.MicrosPerRun;
        var ratioMet = ratio <= RatioTarget;
        var rateMet = Math.Max(concurrent.RunsPerSecond, sequential.RunsPerSecond) >= RunsPerSecondTarget;
        Console.WriteLine($"{workflowName}: real workflow.json, real custom code (FunctionCatalog over InMemoryObjectStore), in-memory connector fakes");
        Console.WriteLine($"  {actions:N1} actions run per run (+{warmUp.SkippedPerRun:N1} recorded as skipped), incl. the .csx classifier; {Environment.ProcessorCount} cores; best of {Rounds} x {runs:N0} runs");
        Console.WriteLine($"  GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {System.Runtime.GCSettings.LatencyMode}; run history: the engine's default (newest 10,000 runs kept)");
        Console.WriteLine($"  {"",30}  {"runs/s",8}  {"µs/run",8}  {"µs/action",9}  {"CPU µs/run",10}  {"KB alloc/run",12}  {"KB kept/run",11}");
        Console.WriteLine($"  {$"engine, {parallel} concurrent callers",-30}  {concurrent.RunsPerSecond,8:N0}  {concurrent.MicrosPerRun,8:N1}  {"",9}  {concurrent.CpuMicrosPerRun,10:N1}  {concurrent.BytesPerRun / 1024.0,12:N1}  {concurrent.HeldBytesPerRun / 1024.0,11:N1}");
        Console.WriteLine($"  {"engine, sequential",-30}  {sequential.RunsPerSecond,8:N0}  {sequential.MicrosPerRun,8:N1}  {sequential.MicrosPerRun / actions,9:N2}  {sequential.CpuMicrosPerRun,10:N1}  {sequential.BytesPerRun / 1024.0,12:N1}  {sequential.HeldBytesPerRun / 1024.0,11:N1}");
        Console.WriteLine($"  {"same steps called directly",-30}  {direct.RunsPerSecond,8:N0}  {direct.MicrosPerRun,8:N1}  {"",9}  {direct.CpuMicrosPerRun,10:N1}  {direct.BytesPerRun / 1024.0,12:N1}  {direct.HeldBytesPerRun / 1024.0,11:N1}");
        Console.WriteLine($"  engine / direct: {ratio:N2}x wall, {sequential.CpuMicrosPerRun / direct.CpuMicrosPerRun:N2}x CPU; machine load average {LoadAverage()}");
        Console.WriteLine($"  target engine <= {RatioTarget}x direct   : {(ratioMet ? "PASS" : "MISS")}");
        Console.WriteLine($"  target >= {RunsPerSecondTarget:N0} runs/s      : {(rateMet ? "PASS" : "MISS")}");
        return 0;
    }

    /// <summary>One round's figures. CPU time is the whole process's (GC included): on a shared machine it shows
    /// the cost of a run even when the wall clock also counts time spent waiting for a core.</summary>
    private sealed record Round(double Seconds, double CpuSeconds, int Runs, long Bytes, double ActionsPerRun, double SkippedPerRun)
    {
        public static readonly Round Worst = new(double.MaxValue, double.MaxValue, 1, long.MaxValue, 0, 0);
        public double MicrosPerRun => Seconds * 1_000_000 / Runs;
        public double CpuMicrosPerRun => CpuSeconds * 1_000_000 / Runs;
        public double RunsPerSecond => Runs / Seconds;
        public double BytesPerRun => (double)Bytes / Runs;
        public double HeldBytesPerRun { get; init; } = double.MaxValue;

        /// <summary>Each figure's best over the rounds (the least disturbed one).</summary>
        public static Round Best(Round a, Round b) => new(
            Math.Min(a.Seconds, b.Seconds), Math.Min(a.CpuSeconds, b.CpuSeconds), b.Runs, Math.Min(a.Bytes, b.Bytes),
            Math.Max(a.ActionsPerRun, b.ActionsPerRun), Math.Max(a.SkippedPerRun, b.SkippedPerRun))
        {
            HeldBytesPerRun = Math.Min(a.HeldBytesPerRun, b.HeldBytesPerRun),
        };
    }

    /// <summary>Wall time, process CPU time and allocations of the timed parts only; the memory still held after each
    /// part (full collection, untimed), whose growth over the second part is what each run leaves behind.</summary>
    private sealed class Meter
    {
        private readonly Stopwatch wall = new();
        private TimeSpan cpu, cpuAtStart;
        private long allocated, allocatedAtStart;
        private long heldAfterFirst, heldAfterLast;
        private int runsAtFirst, runsAtLast;

        public void Start()
        {
            GC.Collect();
            allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
            cpuAtStart = ProcessCpu();
            wall.Start();
        }

        public void Stop(int runsSoFar)
        {
            wall.Stop();
            cpu += ProcessCpu() - cpuAtStart;
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart;
            var held = GC.GetTotalMemory(forceFullCollection: true);
            if (runsAtFirst == 0) (heldAfterFirst, runsAtFirst) = (held, runsSoFar);
            (heldAfterLast, runsAtLast) = (held, runsSoFar);
        }

        public Round Round(int runs, double executed, double skipped) =>
            new(wall.Elapsed.TotalSeconds, cpu.TotalSeconds, runs, allocated, executed, skipped)
            {
                HeldBytesPerRun = runsAtLast > runsAtFirst ? (double)(heldAfterLast - heldAfterFirst) / (runsAtLast - runsAtFirst) : 0,
            };
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>One measured setup: each round gets a fresh store (and engine), so every messageId is new to idempotency.</summary>
    private sealed class Bench(LogicApp app, IReadOnlyDictionary<string, string> settings, string workflowName, string root)
    {
        private readonly CustomCodeOptions options = CustomCodeStorage.Options(settings);
        // The claim-check sample only points at a payload that no store holds: it is the one valid sample left out.
        private readonly IReadOnlyList<SampleOrder> samples = SampleOrders.Valid(root).Where(s => s.Json is JObject o && o["payloadReference"] is null).ToArray();

        public async Task<Round> EngineRoundAsync(int runs, int parallel)
        {
            var (catalog, store) = NewCatalog();
            var messages = await TriggerMessagesAsync(catalog, runs);
            var bus = new FakeServiceBus();
            var twilio = new FakeTwilio();
            var engine = new WorkflowEngine(app, new EngineOptions
            {
                FunctionInvoker = new CustomCodeFunctionInvoker(catalog),
                ServiceProviderBindings = [bus],
                ApiConnectionBinding = twilio,
                // The engine's own default run history, as the local host runs it (keeps the newest 10,000 runs).
            });
            var next = -1;

            // Two timed halves; between and after them (untimed) a full collection measures what the runs left behind.
            var meter = new Meter();
            var half = runs / 2;
            for (var end = half; end <= runs; end += Math.Max(1, runs - half))
            {
                var stop = end;
                meter.Start();
                var workers = new Task[parallel];
                for (var w = 0; w < parallel; w++)
                {
                    workers[w] = Task.Run(async () =>
                    {
                        int index;
                        while ((index = Interlocked.Increment(ref next)) < stop)
                        {
                            var fired = await engine.TriggerAsync(workflowName, messages[index]).ConfigureAwait(false);
                            if (fired[0].Status != WorkflowStatus.Succeeded) throw new InvalidOperationException($"Benchmark run failed: {fired[0].ToJson()}");
                        }
                        Interlocked.Decrement(ref next);
                    });
                }
                await Task.WhenAll(workers);
                meter.Stop(end);
                if (end == runs) break;
            }
            await CheckAsync(store, bus, runs, "engine");
            var (executed, skipped) = CountActions(engine.History.Query(new RunQuery(workflowName)));
            engine.Dispose();
            return meter.Round(runs, executed, skipped);
        }

        public async Task<Round> DirectRoundAsync(int runs)
        {
            var (catalog, store) = NewCatalog();
            var messages = await TriggerMessagesAsync(catalog, runs);
            var bus = new FakeServiceBus();
            var steps = new DirectSteps(workflowName, catalog, app, bus, new FakeTwilio());
            var items = new JObject[runs];
            for (var i = 0; i < runs; i++) items[i] = (JObject)messages[i]["body"]![0]!;

            var meter = new Meter();
            var half = runs / 2;
            meter.Start();
            for (var i = 0; i < half; i++) await steps.RunAsync(items[i]);
            meter.Stop(half);
            meter.Start();
            for (var i = half; i < runs; i++) await steps.RunAsync(items[i]);
            meter.Stop(runs);
            await CheckAsync(store, bus, runs, "direct");
            return meter.Round(runs, 0, 0);
        }

        private (FunctionCatalog, InMemoryObjectStore) NewCatalog()
        {
            var store = new InMemoryObjectStore();
            return (new FunctionCatalog(new OrderEventFunctions(new CustomCodeServices(store, TimeProvider.System, options))), store);
        }

        /// <summary>One trigger firing per run, as the built-in Service Bus trigger hands a message over (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/servicebus/):
        /// a sample order with a new messageId, made into a message by BuildServiceBusMessage and received once.</summary>
        private async Task<JObject[]> TriggerMessagesAsync(FunctionCatalog catalog, int runs)
        {
            var firings = new JObject[runs];
            var enqueued = DateTimeOffset.UtcNow.ToString("O");
            for (var i = 0; i < runs; i++)
            {
                var order = (JObject)samples[i % samples.Count].Json!;
                order["messageId"] = Guid.NewGuid().ToString();
                var built = await catalog.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = order });
                if (built["isValid"]?.Value<bool>() != true) throw new InvalidOperationException($"Sample {samples[i % samples.Count].Name} does not build: {built}");
                var message = (JObject)built["message"]!;
                var contentType = (string?)message["contentType"];
                var item = new JObject
                {
                    ["contentData"] = ConnectorMessages.ContentData(ConnectorMessages.ToBrokerMessage(message).Body, contentType),
                    ["contentType"] = contentType,
                    ["sessionId"] = message["sessionId"],
                    ["userProperties"] = message["userProperties"],
                    ["messageId"] = message["messageId"],
                    ["lockToken"] = Guid.NewGuid().ToString(),
                    ["correlationId"] = message["correlationId"],
                    ["deliveryCount"] = 1,
                    ["enqueuedSequenceNumber"] = i + 1,
                    ["enqueuedTimeUtc"] = enqueued,
                };
                firings[i] = new JObject { ["body"] = new JArray(item) };
            }
            return firings;
        }

        /// <summary>Every run completed its own message, and idempotency holds one record per messageId (new work each time).</summary>
        private async Task CheckAsync(InMemoryObjectStore store, FakeServiceBus bus, int runs, string path)
        {
            if (bus.Completed != runs || bus.Other != 0)
                throw new InvalidOperationException($"{path}: {bus.Completed} completions and {bus.Other} other settlements for {runs} runs.");
            // LakeArchive's lake file is its claim (create-if-absent); SmsNotification claims in the idempotency container.
            var container = workflowName == "LakeArchive" ? options.LakeContainer : options.IdempotencyContainer;
            var records = 0;
            await foreach (var _ in store.ListAsync(container, "")) records++;
            if (records != runs) throw new InvalidOperationException($"{path}: {records} records in '{container}' for {runs} runs.");
        }

        /// <summary>Actions run and actions recorded as skipped, per run, over the runs the history kept.</summary>
        private static (double Executed, double Skipped) CountActions(IReadOnlyList<WorkflowRun> runs)
        {
            long executed = 0, skipped = 0;
            foreach (var run in runs)
            {
                foreach (var action in run.Actions.Values)
                {
                    if (action.Status == WorkflowStatus.Skipped) skipped++;
                    else executed++;
                }
            }
            return runs.Count == 0 ? (0, 0) : ((double)executed / runs.Count, (double)skipped / runs.Count);
        }
    }

    /// <summary>
    /// The same custom-code steps the workflow calls, called directly through the same <see cref="FunctionCatalog"/>
    /// (JSON parameters in, JSON result out) on the same kind of store, plus the same connector fakes. The
    /// classification the .csx makes is known here without asking (every sample succeeds or is skipped).
    /// </summary>
    private sealed class DirectSteps(string workflow, FunctionCatalog catalog, LogicApp app, FakeServiceBus bus, FakeTwilio twilio)
    {
        public static readonly string[] Workflows = ["LakeArchive", "SmsNotification"];

        public static bool Supports(string name) => Workflows.Contains(name, StringComparer.Ordinal);

        private readonly string consumer = (string)app.Parameters[workflow == "LakeArchive" ? "lakeArchiveSubscriptionName" : "smsNotificationSubscriptionName"]!;
        private readonly string topic = (string)app.Parameters["ordersTopicName"]!;
        private readonly int maxDeliveryCount = int.Parse((string)app.Parameters[workflow == "LakeArchive" ? "lakeArchiveMaxDeliveryCount" : "smsNotificationMaxDeliveryCount"]!);
        private readonly JObject templates = new()
        {
            ["OrderCreated"] = app.Parameters["smsOrderCreatedTemplate"],
            ["OrderUpdated"] = app.Parameters["smsOrderUpdatedTemplate"],
            ["OrderCancelled"] = app.Parameters["smsOrderCancelledTemplate"],
        };
        private readonly JToken fromNumber = app.Parameters["smsFromNumber"];
        private readonly JObject busConnection = (JObject)app.ServiceProviderConnections[workflow == "LakeArchive" ? "serviceBusLakeArchive" : "serviceBusSmsNotification"]["parameterValues"]!;
        private readonly JObject twilioConnection = app.ManagedApiConnections.GetValueOrDefault("twilio") ?? new JObject();

        public async Task RunAsync(JObject message)
        {
            if (workflow == "LakeArchive")
            {
                // The workflow's one custom-code step: the lake file's create-if-absent is the claim.
                var archived = await catalog.InvokeAsync("ArchiveOrderEvent", new JObject { ["message"] = message });
                if (archived["lake"]?["created"]?.Value<bool>() != true) throw new InvalidOperationException($"direct: not archived {archived}");
                await SettleAsync(message, "Succeeded");
                return;
            }
            var read = await catalog.InvokeAsync("ReadOrderMessage", new JObject { ["contentData"] = message["contentData"], ["contentType"] = message["contentType"] });
            if (read["isValid"]?.Value<bool>() != true) throw new InvalidOperationException($"direct: invalid message {read}");
            var begin = await catalog.InvokeAsync("BeginIdempotency", new JObject { ["consumer"] = consumer, ["key"] = read["messageId"] });
            if ((string?)begin["state"] != "Started") throw new InvalidOperationException($"direct: no claim {begin}");

            var sms = await catalog.InvokeAsync("MapToSms", new JObject { ["orderEvent"] = read["orderEvent"], ["templates"] = templates, ["fromNumber"] = fromNumber });
            JToken? sid = null;
            var send = sms["shouldSend"]?.Value<bool>() == true;
            if (send)
            {
                var sent = await twilio.InvokeAsync(new ApiConnectionRequest(workflow, "Send_SMS", "twilio", twilioConnection, "POST", "/Messages.json", null, null,
                    new JObject { ["from"] = sms["from"], ["to"] = sms["to"], ["body"] = sms["body"] }), default);
                sid = sent.Body?["sid"];
            }
            await catalog.InvokeAsync("CompleteIdempotency", new JObject
            {
                ["consumer"] = consumer, ["key"] = read["messageId"], ["claimToken"] = begin["claimToken"],
                ["result"] = new JObject { ["sent"] = sms["shouldSend"], ["skipReason"] = sms["skipReason"], ["segments"] = sms["segments"], ["twilioMessageSid"] = sid },
            });
            var outcome = send ? "Succeeded" : "Skipped";
            await SettleAsync(message, outcome);
        }

        private async Task SettleAsync(JObject message, string outcome)
        {
            var decision = await catalog.InvokeAsync("DecideSettlement", new JObject
            {
                ["outcome"] = outcome, ["deliveryCount"] = message["deliveryCount"], ["maxDeliveryCount"] = maxDeliveryCount, ["detail"] = "",
            });
            if ((string?)decision["action"] != "complete") throw new InvalidOperationException($"direct: decision {decision}");
            var parameters = new JObject { ["topicName"] = topic, ["subscriptionName"] = consumer, ["lockToken"] = message["lockToken"] };
            await bus.InvokeActionAsync(new ServiceProviderRequest(workflow, "Complete_the_message", bus.ServiceProviderId, "completeTopicMessageV2", "bus", busConnection, parameters), default);
        }
    }

    /// <summary>The built-in Service Bus connector's settle operations, answering at once; counts what was settled.</summary>
    private sealed class FakeServiceBus : IServiceProviderBinding
    {
        private static readonly Task<ConnectorResponse> Ok = Task.FromResult(new ConnectorResponse(200));
        private static readonly Task<ConnectorResponse> LockMissing = Task.FromResult(new ConnectorResponse(400));
        private int completed, other;

        public int Completed => completed;
        public int Other => other;

        public string ServiceProviderId => "/serviceProviders/serviceBus";

        public Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken)
        {
            if (request.Parameters["lockToken"] is null) return LockMissing;
            if (request.OperationId == "completeTopicMessageV2") Interlocked.Increment(ref completed);
            else Interlocked.Increment(ref other);
            return Ok;
        }

        public Task RunTriggerAsync(ServiceProviderRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    /// <summary>The Twilio managed connector's Send Text Message, answering at once as Twilio does (201, a message sid).</summary>
    private sealed class FakeTwilio : IApiConnectionBinding
    {
        private int sent;

        public Task<ConnectorResponse> InvokeAsync(ApiConnectionRequest request, CancellationToken cancellationToken)
        {
            var number = Interlocked.Increment(ref sent);
            return Task.FromResult(new ConnectorResponse(201, new JObject { ["sid"] = $"SM{number:x32}", ["status"] = "queued", ["to"] = request.Body?["to"] }));
        }
    }
}
