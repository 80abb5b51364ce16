using System.Text;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Sessions;

public abstract class SessionLock_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("sessions", q => { q.RequiresSession = true; q.LockDuration = TimeSpan.FromSeconds(30); });
        return topology;
    }

    [TestMethod]
    public async Task Only_one_receiver_can_hold_a_session()
    {
        await Bus.SendAsync("sessions", Message(sessionId: "S"));
        await using var holder = await Bus.AcceptSessionAsync("sessions", "S");

        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.AcceptSessionAsync("sessions", "S"));

        Assert.AreEqual(ServiceBusFailureReason.SessionCannotBeLocked, ex.Reason);
        await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.AcceptNextSessionAsync("sessions", maxWaitTime: TimeSpan.Zero));
    }

    [TestMethod]
    public async Task When_the_session_lock_expires_settling_fails_with_SessionLockLost_and_the_message_counts_a_delivery()
    {
        await Bus.SendAsync("sessions", Message(sessionId: "S"));
        var session = await Bus.AcceptSessionAsync("sessions", "S");
        var received = await session.ReceiveMessageAsync(TimeSpan.Zero);
        Assert.AreEqual(Start + TimeSpan.FromSeconds(30), session.SessionLockedUntil);

        Clock.Advance(TimeSpan.FromSeconds(31));

        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => session.CompleteAsync(received!.LockToken));
        Assert.AreEqual(ServiceBusFailureReason.SessionLockLost, ex.Reason);
        await using var next = await Bus.AcceptSessionAsync("sessions", "S");
        Assert.AreEqual(2, (await next.ReceiveMessageAsync(TimeSpan.Zero))!.DeliveryCount);
    }

    [TestMethod]
    public async Task Closing_a_session_returns_its_messages_without_counting_a_delivery()
    {
        await Bus.SendAsync("sessions", Message(sessionId: "S"));
        var session = await Bus.AcceptSessionAsync("sessions", "S");
        await session.ReceiveMessageAsync(TimeSpan.Zero);

        await session.DisposeAsync();

        await using var next = await Bus.AcceptNextSessionAsync("sessions", maxWaitTime: TimeSpan.Zero);
        Assert.AreEqual(1, (await next.ReceiveMessageAsync(TimeSpan.Zero))!.DeliveryCount);
    }

    [TestMethod]
    public async Task Renewing_the_session_lock_keeps_the_session_and_its_message_locks()
    {
        await Bus.SendAsync("sessions", Message(sessionId: "S"));
        await using var session = await Bus.AcceptSessionAsync("sessions", "S");
        var received = await session.ReceiveMessageAsync(TimeSpan.Zero);

        Clock.Advance(TimeSpan.FromSeconds(20));
        var until = await session.RenewSessionLockAsync();
        Clock.Advance(TimeSpan.FromSeconds(20));

        Assert.AreEqual(Start + TimeSpan.FromSeconds(50), until);
        await session.CompleteAsync(received!.LockToken);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => session.RenewLockAsync(received.LockToken));
    }

    [TestMethod]
    public async Task Session_state_is_kept_between_receivers_until_cleared()
    {
        await using (var first = await Bus.AcceptSessionAsync("sessions", "S"))
        {
            Assert.IsNull(await first.GetSessionStateAsync());
            await first.SetSessionStateAsync(Encoding.UTF8.GetBytes("step-2"));
        }

        await using var second = await Bus.AcceptSessionAsync("sessions", "S");
        Assert.AreEqual("step-2", Encoding.UTF8.GetString((await second.GetSessionStateAsync())!));
        await second.SetSessionStateAsync(null);
        Assert.IsNull(await second.GetSessionStateAsync());
    }

    [TestMethod]
    public async Task A_receiver_whose_session_was_taken_over_gets_SessionLockLost()
    {
        var stale = await Bus.AcceptSessionAsync("sessions", "S");
        Clock.Advance(TimeSpan.FromSeconds(31));
        await using var current = await Bus.AcceptSessionAsync("sessions", "S");

        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => stale.SetSessionStateAsync([1]));

        Assert.AreEqual(ServiceBusFailureReason.SessionLockLost, ex.Reason);
    }

    [TestClass] public sealed class InMemory : SessionLock_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : SessionLock_Specs { protected override bool Durable => true; }
}
