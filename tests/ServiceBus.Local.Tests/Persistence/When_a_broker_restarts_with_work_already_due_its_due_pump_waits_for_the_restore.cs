using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;
using ServiceBus.Local.Tests.Infrastructure;
using TestSupport;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A restart's restore is one operation of the broker: its commit arms the due pump, and a pump whose timer
/// fires at once (a fast simulated clock, or a restart that finds work already due) must wait until the restore has
/// handed its changes to the writer. It did not: a host restarted by <c>simulate --crash-process</c> at 240 times
/// real speed failed now and then in the restore with "Collection was modified" or a payload read without its place,
/// because the pump changed the messages on another thread while the restore still read them back.</summary>
[TestClass]
public sealed class When_a_broker_restarts_with_work_already_due_its_due_pump_waits_for_the_restore
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private string path = null!;

    [TestInitialize]
    public void ChoosePath() => path = Path.Combine(Path.GetTempPath(), $"sb-restore-pump-{Guid.NewGuid():N}.db");

    [TestCleanup]
    public void DeleteDatabase() => BrokerDatabaseFiles.Delete(path);

    [TestMethod]
    public async Task Nothing_else_touches_the_store_while_the_restore_reads_a_released_message_back()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => q.MaxDeliveryCount = 10);
        using (var store = new SqliteMessageStore(path))
        using (var bus = LocalServiceBus.Create(topology, new ManualClock(Start), store))
        {
            // A message with a time to live (a due-time entry once restored), locked when the process goes away.
            await bus.SendAsync("work", new ServiceBusMessage("{}") { MessageId = "held", TimeToLive = TimeSpan.FromDays(1) });
            Assert.IsNotNull(await bus.CreateReceiver("work").ReceiveMessageAsync(TimeSpan.Zero));
        }

        using var watched = new StoreWatchedDuringTheFirstRead(new SqliteMessageStore(path), TimeSpan.FromSeconds(1));
        using (var restarted = LocalServiceBus.Create(topology, new TimersFireAtOnce(Start + TimeSpan.FromMinutes(1)), watched))
        {
            Assert.IsTrue(watched.FirstReadSeen, "the restore reads the released message back (its payload is in the store only)");
            Assert.IsNull(watched.TouchedMeanwhile, $"another thread used the store while the restore read: {watched.TouchedMeanwhile}");
            var again = await restarted.CreateReceiver("work").ReceiveMessageAsync(TimeSpan.Zero);
            Assert.AreEqual("held", again?.MessageId);
            Assert.AreEqual(2, again!.DeliveryCount, "the lock the restart dropped counts as a delivery");
        }
    }

    /// <summary>Simulated time that does not move, whose timers fire on a pool thread as soon as they are set: every due
    /// time looks already reached, as it does under a clock running hundreds of times faster than the wall clock.</summary>
    private sealed class TimersFireAtOnce(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new AtOnceTimer(callback, state);
            timer.Change(dueTime, period);
            return timer;
        }

        private sealed class AtOnceTimer(TimerCallback callback, object? state) : ITimer
        {
            private int fired;

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                // Once is enough to show the race, and keeps a re-arming pump from spinning for the rest of the spec.
                if (dueTime != Timeout.InfiniteTimeSpan && Interlocked.Exchange(ref fired, 1) == 0)
                    ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
                return true;
            }

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>Holds the first payload read (the restore's) open for <paramref name="window"/>, and notes any use of the
    /// store by another thread meanwhile (which also ends the window at once).</summary>
    private sealed class StoreWatchedDuringTheFirstRead(IMessageStore inner, TimeSpan window) : IMessageStore
    {
        private readonly ManualResetEventSlim touched = new();
        private int readerThread = -1;

        public bool FirstReadSeen => Volatile.Read(ref readerThread) != -1;

        public string? TouchedMeanwhile { get; private set; }

        public StoreSnapshot Load() => inner.Load();

        public void Commit(StoreChangeSet changes)
        {
            Note("Commit");
            inner.Commit(changes);
        }

        public StoredMessage? ReadMessage(string storagePath, long sequenceNumber)
        {
            if (Interlocked.CompareExchange(ref readerThread, Environment.CurrentManagedThreadId, -1) == -1)
            {
                touched.Wait(window);
                Interlocked.Exchange(ref readerThread, int.MinValue); // the window is over
            }
            else
            {
                Note($"ReadMessage({storagePath}, {sequenceNumber})");
            }
            return inner.ReadMessage(storagePath, sequenceNumber);
        }

        private void Note(string call)
        {
            var reader = Volatile.Read(ref readerThread);
            if (reader is -1 or int.MinValue || reader == Environment.CurrentManagedThreadId) return;
            TouchedMeanwhile ??= $"{call} on thread {Environment.CurrentManagedThreadId}";
            touched.Set();
        }

        public void Dispose()
        {
            inner.Dispose();
            touched.Dispose();
        }
    }
}
