using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Settlement;

public abstract class LockTimeout_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => q.LockDuration = TimeSpan.FromSeconds(30));
        return topology;
    }

    [TestMethod]
    public async Task A_received_message_is_locked_for_the_lock_duration_and_hidden_from_other_receivers()
    {
        await Bus.SendAsync("work", Message());
        var received = await ReceiveOne("work");

        Assert.AreEqual(Start + TimeSpan.FromSeconds(30), received.LockedUntil);
        Assert.AreEqual(1, received.DeliveryCount);
        Assert.IsTrue(Guid.TryParse(received.LockToken, out _));
        Assert.AreEqual(0, (await ReceiveAll("work")).Count);
    }

    [TestMethod]
    public async Task When_the_lock_expires_the_message_is_redelivered_with_delivery_count_two_and_the_old_token_is_lost()
    {
        await Bus.SendAsync("work", Message(messageId: "m-1"));
        var first = await ReceiveOne("work");

        Clock.Advance(TimeSpan.FromSeconds(31));
        var second = await ReceiveOne("work");

        Assert.AreEqual("m-1", second.MessageId);
        Assert.AreEqual(2, second.DeliveryCount);
        Assert.AreNotEqual(first.LockToken, second.LockToken);
        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.CreateReceiver("work").CompleteAsync(first.LockToken));
        Assert.AreEqual(ServiceBusFailureReason.MessageLockLost, ex.Reason);
    }

    [TestMethod]
    public async Task Settling_after_the_lock_expired_fails_with_message_lock_lost()
    {
        await Bus.SendAsync("work", Message());
        var received = await ReceiveOne("work");
        Clock.Advance(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.CreateReceiver("work").CompleteAsync(received.LockToken));

        Assert.AreEqual(ServiceBusFailureReason.MessageLockLost, ex.Reason);
        Assert.AreEqual(2, (await ReceiveOne("work")).DeliveryCount);
    }

    [TestMethod]
    public async Task Renewing_the_lock_extends_it_by_the_lock_duration_from_now()
    {
        await Bus.SendAsync("work", Message());
        var received = await ReceiveOne("work");
        var receiver = Bus.CreateReceiver("work");

        Clock.Advance(TimeSpan.FromSeconds(20));
        var lockedUntil = await receiver.RenewLockAsync(received.LockToken);
        Clock.Advance(TimeSpan.FromSeconds(20));

        Assert.AreEqual(Start + TimeSpan.FromSeconds(50), lockedUntil);
        Assert.AreEqual(0, (await ReceiveAll("work")).Count);
        await receiver.CompleteAsync(received.LockToken);
        Assert.AreEqual(0L, Bus.GetMessageCounts("work").Active);
    }

    [TestMethod]
    public async Task Unknown_malformed_and_already_used_lock_tokens_fail_with_message_lock_lost()
    {
        await Bus.SendAsync("work", Message());
        var received = await ReceiveOne("work");
        var receiver = Bus.CreateReceiver("work");
        await receiver.CompleteAsync(received.LockToken);

        foreach (var token in new[] { received.LockToken, Guid.NewGuid().ToString(), "not-a-token" })
        {
            var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => receiver.CompleteAsync(token));
            Assert.AreEqual(ServiceBusFailureReason.MessageLockLost, ex.Reason, token);
        }
    }

    [TestMethod]
    public async Task Receive_and_delete_removes_the_message_at_once_and_has_nothing_to_settle()
    {
        await Bus.SendAsync("work", Message());
        var receiver = Bus.CreateReceiver("work", Messages.ReceiveMode.ReceiveAndDelete);

        var received = await receiver.ReceiveMessageAsync(TimeSpan.Zero);

        Assert.AreEqual("", received!.LockToken);
        Assert.AreEqual(0L, Bus.GetMessageCounts("work").Active);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => receiver.CompleteAsync(received.LockToken));
    }

    [TestMethod]
    public async Task A_waiting_receiver_is_woken_by_a_send()
    {
        var receiver = Bus.CreateReceiver("work");
        var waiting = receiver.ReceiveMessageAsync(TimeSpan.FromMinutes(5));
        Assert.IsFalse(waiting.IsCompleted);

        await Bus.SendAsync("work", Message(messageId: "late"));

        var received = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual("late", received!.MessageId);
    }

    [TestMethod]
    public async Task A_waiting_receiver_stops_when_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var waiting = Bus.CreateReceiver("work").ReceiveMessageAsync(TimeSpan.FromMinutes(5), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [TestMethod]
    public async Task Competing_receivers_never_get_the_same_message()
    {
        await Bus.SendAsync("work", Enumerable.Range(0, 200).Select(i => Message(messageId: $"m-{i}")));

        var takers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var receiver = Bus.CreateReceiver("work");
            var got = new List<string>();
            while (await receiver.ReceiveMessageAsync(TimeSpan.Zero) is { } m)
            {
                got.Add(m.MessageId!);
                await receiver.CompleteAsync(m.LockToken);
            }
            return got;
        })).ToList();
        var all = (await Task.WhenAll(takers)).SelectMany(g => g).ToList();

        Assert.AreEqual(200, all.Count);
        Assert.AreEqual(200, all.Distinct().Count());
    }

    [TestClass] public sealed class InMemory : LockTimeout_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : LockTimeout_Specs { protected override bool Durable => true; }
}
