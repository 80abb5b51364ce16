using System.Diagnostics;
using System.Globalization;
using TestSupport;
using Newtonsoft.Json.Linq;
using ObjectStore.Local;
using OrderEvents.CustomCode.Idempotency;
using OrderEvents.CustomCode.Storage;
using TestSupport.Azurite;

namespace Cli.Commands;

/// <summary>
/// <c>benchmark idempotency [--azurite] [--iterations N] [--warmup N] [--concurrency N]</c>: the round trip a subscriber
/// pays per message, BeginIdempotency on a new key plus CompleteIdempotency, on the local runtime's SQLite store (the
/// embedded default), on the file-system store and, with <c>--azurite</c>, on the Blob store (the Blob SDK) against an
/// Azurite it starts itself (and stops at the end). Each local store is measured twice: one caller at a time, then
/// <c>--concurrency</c> callers at once (default 16, as runs in flight in a host), where the SQLite store's group commit
/// shares transactions. Prints p50/p99/mean in milliseconds, round trips per second, the process's CPU time per round
/// trip, storage transactions per round trip (counted by <see cref="CountingObjectStore"/>: 2 is the target, one
/// conditional create and one If-Match write) and PASS/MISS against the p50 &lt;= 5 ms target for Azurite.
/// </summary>
public static class BenchmarkIdempotencyCommand
{
    private const double AzuriteTargetP50Milliseconds = 5;

    public static async Task<int> RunAsync(CliArgs args)
    {
        var iterations = args.GetInt("iterations", 2000, min: 100);
        var warmup = args.GetInt("warmup", 200, min: 0);
        var concurrency = args.GetInt("concurrency", 16, min: 1);

        Console.WriteLine($"benchmark idempotency: {iterations} timed begin+complete round trips (new key each) after {warmup} warm-up ones, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine($"{"store",-44} {"callers",7} {"p50 ms",8} {"p99 ms",8} {"mean ms",8} {"trips/s",9} {"CPU µs",8} {"ops/trip",9}  result");

        var passed = true;
        using (var folder = new TemporaryFolder("bench-idempotency-"))
        {
            foreach (var callers in new[] { 1, concurrency }.Distinct())
            {
                // The floor: the idempotency logic (records as JSON, claim tokens) with no storage under it.
                await MeasureAsync("in memory (InMemoryObjectStore, the floor)", new InMemoryObjectStore(), iterations, warmup, callers, targetP50: null);
                using (var sqlite = new SqliteObjectStore(Path.Combine(folder.Path, $"sqlite-{callers}", SqliteObjectStore.DefaultFileName)))
                {
                    await MeasureAsync("SQLite (SqliteObjectStore, the local default)", sqlite, iterations, warmup, callers, targetP50: null);
                    var (transactions, writes) = sqlite.CommitCounts;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"",-44} {"",7}   group commit: {writes:N0} writes in {transactions:N0} transactions ({(double)writes / Math.Max(1, transactions):0.0} a transaction)"));
                }
                await MeasureAsync("file system (FileSystemObjectStore)", new FileSystemObjectStore(Path.Combine(folder.Path, $"files-{callers}")), iterations, warmup, callers, targetP50: null);
            }
        }

        if (args.Has("azurite"))
        {
            await using var azurite = await AzuriteBlobProcess.StartAsync(RepositoryRoot.Find());
            var store = DevelopmentStorage.Store(azurite.BlobEndpoint);
            passed = await MeasureAsync($"Azurite {azurite.BlobEndpoint.Authority} (BlobObjectStore)", store, iterations, warmup, callers: 1, AzuriteTargetP50Milliseconds);
        }
        else
        {
            Console.WriteLine("(add --azurite to measure the Blob store against a local Azurite)");
        }
        return passed ? 0 : 1;
    }

    private static async Task<bool> MeasureAsync(string label, IObjectStore inner, int iterations, int warmup, int callers, double? targetP50)
    {
        var store = new CountingObjectStore(inner);
        var idempotency = new IdempotencyStore(store, TimeProvider.System, "idempotency");
        var lease = TimeSpan.FromMinutes(5);
        var result = new JObject { ["salesDocument"] = "0000012345" };
        var run = Guid.NewGuid().ToString("N")[..8];

        async Task RoundTripAsync(string key)
        {
            var begin = await idempotency.BeginAsync("sap-fulfillment", key, lease);
            if (begin.State != ClaimState.Started) throw new InvalidOperationException($"Begin on a new key returned {begin.State}.");
            var complete = await idempotency.CompleteAsync("sap-fulfillment", key, begin.ClaimToken!, result);
            if (complete.State != CompleteState.Completed) throw new InvalidOperationException($"Complete returned {complete.State}: {complete.Message}");
        }

        for (var i = 0; i < warmup; i++) await RoundTripAsync($"warmup-{run}-{i}");
        store.Reset();

        var samples = new double[iterations];
        var next = -1;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < iterations; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                await RoundTripAsync($"order-{run}-{i}-created-v1");
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        total.Stop();
        var cpuMicroseconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / iterations;

        Array.Sort(samples);
        var p50 = Percentile(samples, 0.50);
        var p99 = Percentile(samples, 0.99);
        var verdict = targetP50 is null ? "(no target)" : p50 <= targetP50 ? $"PASS (p50 <= {targetP50} ms)" : $"MISS (p50 > {targetP50} ms)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-44} {callers,7} {p50,8:0.000} {p99,8:0.000} {samples.Average(),8:0.000} {iterations / total.Elapsed.TotalSeconds,9:0} {cpuMicroseconds,8:0} {(double)store.Total.Transactions / iterations,9:0.##}  {verdict}"));
        return targetP50 is null || p50 <= targetP50;
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
