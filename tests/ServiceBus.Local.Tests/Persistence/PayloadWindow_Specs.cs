using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A backlog keeps only a window of message payloads (body, application and system properties) in memory; the
/// rest are read back from the store when a receiver, a peek or a move needs them, so nothing a receiver sees changes.</summary>
public abstract class PayloadWindow_Specs : BrokerSpec
{
    private const int Window = 10;
    private const int Backlog = 200;

    protected override int PayloadsInMemoryPerEntity => Window;

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => { q.MaxDeliveryCount = 3; q.DeadLetteringOnMessageExpiration = true; });
        topology.AddQueue("sessions", q => q.RequiresSession = true);
        var orders = topology.AddTopic("orders");
        orders.AddSubscription("a");
        orders.AddSubscription("b");
        return topology;
    }

    private static string BodyOf(int i) => $$"""{"order":{{i}},"padding":"{{new string('x', 100 + i)}}"}""";

    private async Task SendBacklog(string entity, int count = Backlog, Func<int, string?>? session = null)
    {
        for (var i = 0; i < count; i++) await Bus.SendAsync(entity, Message(BodyOf(i), $"m-{i}", session?.Invoke(i)));
        Bus.ProcessDueWork();
    }

    [TestMethod]
    public async Task A_backlog_beyond_the_window_keeps_only_the_window_s_payloads_in_memory()
    {
        await SendBacklog("orders");

        var figures = Bus.GetMemoryFigures();
        Assert.AreEqual(2L * Backlog, figures.MessagesInMemory);
        Assert.AreEqual(2L * Window, figures.PayloadsInMemory, "each subscription keeps the payloads (body and properties) of its first 10 messages only");
    }

    [TestMethod]
    public async Task Every_message_of_the_backlog_is_received_in_order_with_its_body()
    {
        await SendBacklog("orders");

        var receiver = Bus.CreateReceiver("orders/Subscriptions/b");
        var received = new List<string>();
        while (await receiver.ReceiveAsync(25, TimeSpan.Zero) is { Count: > 0 } batch)
        {
            foreach (var m in batch)
            {
                received.Add(Text(m));
                await receiver.CompleteAsync(m);
            }
            Assert.IsTrue(Bus.GetMemoryFigures().PayloadsInMemory <= 2L * Window + 25, "locked messages hold their payloads, the rest stay out");
        }

        CollectionAssert.AreEqual(Enumerable.Range(0, Backlog).Select(BodyOf).ToList(), received);
    }

    [TestMethod]
    public async Task A_peek_deep_in_the_backlog_shows_the_payloads_and_keeps_them_out_of_memory_afterwards()
    {
        await SendBacklog("work");

        var peeked = await Bus.PeekAsync("work", 5, fromSequenceNumber: 150);
        Bus.ProcessDueWork();

        CollectionAssert.AreEqual(Enumerable.Range(149, 5).Select(BodyOf).ToList(), peeked.Select(Text).ToList());
        Assert.AreEqual((long)Window, Bus.GetMemoryFigures().PayloadsInMemory);
    }

    [TestMethod]
    public async Task An_evicted_message_that_expires_reaches_the_dead_letter_queue_with_its_body()
    {
        for (var i = 0; i < 20; i++)
            await Bus.SendAsync("work", Message(BodyOf(i), $"m-{i}", configure: m => m.TimeToLive = TimeSpan.FromMinutes(i < Window ? 60 : 1)));
        Bus.ProcessDueWork();
        Assert.AreEqual((long)Window, Bus.GetMemoryFigures().PayloadsInMemory);

        Clock.Advance(TimeSpan.FromMinutes(2));
        var dead = await ReceiveAll("work/$DeadLetterQueue");

        CollectionAssert.AreEqual(Enumerable.Range(Window, 20 - Window).Select(BodyOf).ToList(), dead.Select(Text).ToList());
    }

    [TestMethod]
    public async Task An_abandoned_message_beyond_the_window_keeps_its_body_through_redelivery_and_dead_lettering()
    {
        await SendBacklog("work", 20);
        var receiver = Bus.CreateReceiver("work");
        var first = await receiver.ReceiveAsync(20, TimeSpan.Zero);
        foreach (var m in first.Take(Window)) await receiver.CompleteAsync(m);
        var last = first[^1];
        await receiver.AbandonAsync(last);
        await receiver.AbandonAsync((await receiver.ReceiveAsync(20, TimeSpan.Zero)).Single(m => m.MessageId == last.MessageId));

        var again = (await receiver.ReceiveAsync(20, TimeSpan.Zero)).Single(m => m.MessageId == last.MessageId);
        await receiver.AbandonAsync(again); // the third failed delivery: MaxDeliveryCount 3

        Assert.AreEqual(BodyOf(19), Text(again));
        Assert.AreEqual(BodyOf(19), Text(await ReceiveOne("work/$DeadLetterQueue")));
    }

    [TestMethod]
    public async Task A_session_receiver_gets_its_session_s_evicted_bodies_in_order()
    {
        await SendBacklog("sessions", 60, i => $"s-{i % 3}");

        await using var session = await Bus.AcceptSessionAsync("sessions", "s-2");
        var received = await session.ReceiveAsync(100, TimeSpan.Zero);

        CollectionAssert.AreEqual(Enumerable.Range(0, 60).Where(i => i % 3 == 2).Select(BodyOf).ToList(), received.Select(Text).ToList());
    }

    [TestMethod]
    public async Task After_a_restart_the_backlog_comes_back_with_every_body_and_no_more_payloads_in_memory_than_the_window()
    {
        await SendBacklog("work");

        Restart();
        Bus.ProcessDueWork();

        Assert.IsTrue(Bus.GetMemoryFigures().PayloadsInMemory <= Window);
        var all = await ReceiveAll("work", Backlog);
        CollectionAssert.AreEqual(Enumerable.Range(0, Backlog).Select(BodyOf).ToList(), all.Select(Text).ToList());
    }

    [TestClass] public sealed class InMemory : PayloadWindow_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : PayloadWindow_Specs { protected override bool Durable => true; }
}
