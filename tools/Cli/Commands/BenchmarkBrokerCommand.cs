using System.Diagnostics;
using System.Globalization;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;

namespace Cli.Commands;

/// <summary>
/// <c>benchmark broker [--messages N] [--senders N] [--backlog N] [--lines N]</c>: the local broker on its SQLite store, shaped like
/// the product's topology (one topic with duplicate detection, four subscriptions, one of them session-enabled).
/// Flow: N messages sent by several concurrent senders while one consumer per subscription receives batches and
/// completes each message (so 1 send + 4 receives + 4 completions per message). Backlog: N messages sent with nobody
/// receiving, then drained; it prints the managed heap with that backlog waiting and how many message bodies the broker
/// kept in memory. Prints operations per second, CPU (user + system) per operation and the bytes the store appended to its
/// write-ahead log per message; no target, no verdict.
/// </summary>
public static class BenchmarkBrokerCommand
{
    private static readonly string[] Subscriptions = ["sap-fulfillment", "sms-notification", "warehouse-inventory", "lake-archive"];

    public static async Task<int> RunAsync(CliArgs args)
    {
        var messages = args.GetInt("messages", 5000, min: 100);
        var senders = args.GetInt("senders", 16, min: 1);
        var backlog = args.GetInt("backlog", 20000, min: 0); // 0 skips the backlog phase
        lines = args.GetInt("lines", 12, min: 1, max: 1000); // order lines per message body: 12 make 649 bytes, 1,000 make 52,638

        Console.WriteLine($"benchmark broker: SQLite store, topic with duplicate detection and {Subscriptions.Length} subscriptions (1 with sessions), bodies of {lines} order lines ({OrderMessage(0).Body.ToArray().Length:N0} bytes), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        using var folder = new TemporaryFolder("bench-broker-");
        await FlowAsync(Path.Combine(folder.Path, "flow.db"), messages, senders);
        if (backlog > 0) await BacklogAsync(Path.Combine(folder.Path, "backlog.db"), backlog, senders);
        return 0;
    }

    private static Topology CreateTopology()
    {
        var topology = new Topology();
        var topic = topology.AddTopic("orders", t =>
        {
            t.RequiresDuplicateDetection = true;
            t.DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(5);
            t.DefaultMessageTimeToLive = TimeSpan.FromHours(1);
        });
        foreach (var name in Subscriptions)
        {
            topic.AddSubscription(name, s =>
            {
                s.RequiresSession = name == Subscriptions[0];
                s.LockDuration = TimeSpan.FromMinutes(5);
                s.DeadLetteringOnMessageExpiration = true;
            });
        }
        return topology;
    }

    /// <summary>Order lines per message body (<c>--lines</c>).</summary>
    private static int lines = 12;

    private static ServiceBusMessage OrderMessage(int i)
    {
        // 12 lines (649 bytes): about the size of an order event with a few lines (the simulation's median event is 0.8 KB);
        // the simulation's orders have up to 1,000 lines (52,638 bytes here).
        var body = $$"""{"eventType":"OrderCreated","orderId":"B-{{i:D7}}","lines":[{{string.Join(",", Enumerable.Range(1, lines).Select(l => $$"""{"sku":"SKU-{{l:D5}}","quantity":{{l}},"unitPrice":{{l * 3.5}}}"""))}}]}""";
        var message = new ServiceBusMessage(body) { MessageId = $"B-{i:D7}-created-v1", SessionId = $"B-{i:D7}", ContentType = "application/json", CorrelationId = Guid.NewGuid().ToString() };
        message.ApplicationProperties["eventType"] = "OrderCreated";
        message.ApplicationProperties["orderId"] = $"B-{i:D7}";
        message.ApplicationProperties["publishedBy"] = "00000000-0000-0000-0000-000000000001";
        return message;
    }

    /// <summary>Sends orders <paramref name="first"/> .. first + messages - 1 (distinct message ids: the topic detects duplicates).</summary>
    private static async Task SendAllAsync(LocalServiceBus bus, int messages, int senders, int first = 0)
    {
        var next = first - 1;
        var end = first + messages;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < end) await bus.SendAsync("orders", OrderMessage(i));
        })));
    }

    /// <summary>Receives and completes until <paramref name="expected"/> messages were completed on the subscription.</summary>
    private static async Task DrainAsync(LocalServiceBus bus, string subscription, int expected, bool sessions)
    {
        var path = $"orders/Subscriptions/{subscription}";
        var done = 0;
        if (!sessions)
        {
            var receiver = bus.CreateReceiver(path);
            while (done < expected)
            {
                foreach (var m in await receiver.ReceiveAsync(20, TimeSpan.FromSeconds(30)))
                {
                    await receiver.CompleteAsync(m);
                    done++;
                }
            }
            return;
        }
        while (done < expected)
        {
            await using var session = await bus.AcceptNextSessionAsync(path, maxWaitTime: TimeSpan.FromSeconds(30));
            foreach (var m in await session.ReceiveAsync(20, TimeSpan.Zero))
            {
                await session.CompleteAsync(m);
                done++;
            }
        }
    }

    private static Task DrainAllAsync(LocalServiceBus bus, int messages) =>
        Task.WhenAll(Subscriptions.Select((s, i) => Task.Run(() => DrainAsync(bus, s, messages, sessions: i == 0))));

    private static async Task FlowAsync(string database, int messages, int senders)
    {
        using var store = new SqliteMessageStore(database); // closed after the broker, which does not own it
        using var bus = LocalServiceBus.Create(CreateTopology(), TimeProvider.System, store);
        const int warmup = 200; // JIT, SQLite pages
        await SendAllAsync(bus, warmup, senders);
        await DrainAllAsync(bus, warmup);
        var bench = Measure.Start(store);
        var draining = DrainAllAsync(bus, messages);
        await SendAllAsync(bus, messages, senders, first: warmup);
        var backlogWhenSent = bus.GetMemoryFigures(); // how far the consumers were behind: beyond the payload window, receives read payloads back
        await draining;
        bench.Report("flow", messages, operations: messages * (1 + 2 * Subscriptions.Length));
        Console.WriteLine($"flow: store since the start (warm-up included): {bus.GetStoreFigures()}");
        Console.WriteLine($"flow: when the last message was sent, {backlogWhenSent}; at the end, {bus.GetMemoryFigures()}");
    }

    private static async Task BacklogAsync(string database, int messages, int senders)
    {
        using var store = new SqliteMessageStore(database);
        using var bus = LocalServiceBus.Create(CreateTopology(), TimeProvider.System, store);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var bench = Measure.Start(store);
        await SendAllAsync(bus, messages, senders);
        var sent = bench.Elapsed;
        var heap = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"backlog: {messages} messages x {Subscriptions.Length} subscriptions waiting after {sent.TotalSeconds:0.0} s: managed heap +{heap / 1048576.0:0.0} MB ({(double)heap / (messages * Subscriptions.Length):0} bytes per waiting message), {bus.GetMemoryFigures()}"));
        await DrainAllAsync(bus, messages);
        bench.Report("backlog send + drain", messages, operations: messages * (1 + 2 * Subscriptions.Length));
        Console.WriteLine($"backlog: store: {bus.GetStoreFigures()}");
    }

    private sealed class Measure
    {
        private readonly Stopwatch wall = Stopwatch.StartNew();
        private readonly TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private readonly (TimeSpan Cpu, long Written)? writer = WriterThread();
        private readonly SqliteMessageStore store;
        private readonly long walBytes;

        private Measure(SqliteMessageStore store)
        {
            this.store = store;
            walBytes = store.WalBytesWritten;
        }

        public static Measure Start(SqliteMessageStore store) => new(store);

        public TimeSpan Elapsed => wall.Elapsed;

        public void Report(string label, int messages, int operations)
        {
            var seconds = wall.Elapsed.TotalSeconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-22} {messages,7} messages {operations,8} ops in {seconds,6:0.00} s: {operations / seconds,8:0} ops/s, {messages / seconds,7:0} messages/s, CPU {cpuMs / 1000,6:0.00} s = {cpuMs * 1000 / operations,6:0.0} µs/op ({cpuMs / messages,5:0.00} ms/message)"));
            if (writer is { } before && WriterThread() is { } after)
            {
                var writerMs = (after.Cpu - before.Cpu).TotalMilliseconds;
                var written = after.Written - before.Written;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-22} of which the broker's writer thread (store commits): CPU {writerMs / 1000,6:0.00} s = {writerMs * 1000 / operations,6:0.0} µs/op ({writerMs * 100 / cpuMs:0}% of the process), {written / 1048576.0:0.0} MB written = {written / 1024.0 / messages:0.0} KB/message"));
            }
            var wal = store.WalBytesWritten - walBytes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-22} write-ahead log: {wal / 1048576.0:0.0} MB appended = {wal / 1024.0 / messages:0.0} KB/message (checkpoints not counted)"));
        }

        /// <summary>User + system time of the broker's group-commit thread and the bytes it wrote to files (Linux:
        /// /proc/self/task/*/stat and io; its name is cut to 15 characters there), or null elsewhere or when there is no
        /// such thread.</summary>
        private static (TimeSpan Cpu, long Written)? WriterThread()
        {
            if (!OperatingSystem.IsLinux()) return null;
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith("ServiceBus.Loca", StringComparison.Ordinal)) continue;
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd (state) on
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
                    var io = File.ReadAllLines(Path.Combine(task, "io")).First(l => l.StartsWith("wchar:", StringComparison.Ordinal));
                    return (TimeSpan.FromSeconds(ticks / 100.0), long.Parse(io["wchar:".Length..].Trim(), CultureInfo.InvariantCulture)); // USER_HZ
                }
                catch (IOException)
                {
                    // the thread ended while we looked
                }
            }
            return null;
        }
    }
}
