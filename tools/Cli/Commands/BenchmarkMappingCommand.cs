using System.Diagnostics;
using System.Globalization;
using TestSupport;
using LocalLogicApp.Samples;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace Cli.Commands;

/// <summary>
/// <c>benchmark mapping</c>: per-call cost of each mapping, settlement and alert function, called directly (no
/// catalog, no JSON round trip) after a warm-up. Options: <c>--iterations N</c> (default 20000), <c>--warmup N</c>
/// (default 20000, all functions round-robin before any is timed). Prints p50/p99 in microseconds, calls per second and PASS/MISS against the 50 µs p99 target.
/// </summary>
public static class BenchmarkMappingCommand
{
    private const double TargetP99Microseconds = 50;

    public static Task<int> RunAsync(CliArgs args)
    {
        var iterations = args.GetInt("iterations", 20_000, min: 100);
        var warmup = args.GetInt("warmup", 20_000, min: 0);

        var functions = new OrderEventFunctions(new CustomCodeServices(new InMemoryObjectStore(), TimeProvider.System, new CustomCodeOptions()));
        var sampleOrders = SampleOrders.Valid(RepositoryRoot.Find());
        var created = SampleEvent(sampleOrders, "OrderCreated.standard");
        var cancelled = SampleEvent(sampleOrders, "OrderCancelled.with-reason");
        var deadLetter = new JObject
        {
            ["contentData"] = created,
            ["messageId"] = "order-100482-created-v1",
            ["correlationId"] = "corr-7f3a",
            ["deliveryCount"] = 10,
            ["enqueuedTimeUtc"] = "2024-05-01T09:30:05Z",
            ["sequenceNumber"] = 42,
            ["userProperties"] = new JObject
            {
                ["DeadLetterReason"] = "TransientFailureExhausted",
                ["DeadLetterErrorDescription"] = "Still failing after 10 deliveries (max 10). Last error: [HTTP 503](https://x) **retry**",
            },
        };
        var deliveryCount = new JValue(10);
        var maxDeliveryCount = new JValue(10);
        var detail = new JValue("HTTP 503 from warehouse");

        var cases = new (string Name, Func<object> Call)[]
        {
            ("MapToSapSalesOrder (create)", () => functions.MapToSapSalesOrder(created, "1000", "10", "00", "TA")),
            ("MapToSapSalesOrder (cancel)", () => functions.MapToSapSalesOrder(cancelled, "1000", "10", "00", "TA", "4711")),
            ("MapToSms", () => functions.MapToSms(created, null, "+14155550100")),
            ("MapToWarehouseRequest", () => functions.MapToWarehouseRequest(created)),
            ("DecideSettlement", () => functions.DecideSettlement("TransientFailure", deliveryCount, maxDeliveryCount, detail)),
            ("BuildDeadLetterAlertCard", () => functions.BuildDeadLetterAlertCard("sap-fulfillment", deadLetter, "https://portal.azure.com/run/1")),
        };

        Console.WriteLine($"benchmark mapping: {iterations} timed calls per function after {warmup} warm-up calls, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine($"target p99 <= {TargetP99Microseconds} µs");
        Console.WriteLine($"{"function",-30} {"p50 µs",8} {"p99 µs",8} {"calls/s",10}  result");
        // Warm every function up before timing any, so tiered JIT has promoted the shared helpers.
        for (var i = 0; i < warmup; i++)
            foreach (var (_, call) in cases) GC.KeepAlive(call());
        var misses = 0;
        foreach (var (name, call) in cases)
        {
            var samples = new double[iterations];
            var total = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                var start = Stopwatch.GetTimestamp();
                GC.KeepAlive(call());
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            total.Stop();
            Array.Sort(samples);
            var p50 = samples[(int)(iterations * 0.50)];
            var p99 = samples[Math.Min(iterations - 1, (int)(iterations * 0.99))];
            var callsPerSecond = iterations / total.Elapsed.TotalSeconds;
            var pass = p99 <= TargetP99Microseconds;
            if (!pass) misses++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-30} {p50,8:0.0} {p99,8:0.0} {callsPerSecond,10:0}  {(pass ? "PASS" : "MISS")}"));
        }
        Console.WriteLine(misses == 0 ? "all functions within target" : $"{misses} function(s) missed the target");
        return Task.FromResult(0);
    }

    /// <summary>One of the repository's sample orders (Artifacts/Samples/valid), parsed as the functions receive it.</summary>
    private static JObject SampleEvent(IReadOnlyList<SampleOrder> samples, string name)
    {
        var sample = samples.FirstOrDefault(s => s.Name == name)
            ?? throw new CliUsageException($"the sample {SampleOrders.Folder}/valid/{name}.json is missing.");
        return OrderEventJson.TryParse(sample.Text, out var token, out var error) && token is JObject orderEvent
            ? orderEvent
            : throw new CliUsageException($"the sample {sample.File} is not a JSON object: {error}");
    }
}
