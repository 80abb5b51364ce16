using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_session_receiver_keeps_state_it_survives_the_receiver_and_its_lock_renews : ContractSpec
{
    [TestMethod]
    public async Task Session_state_set_by_one_receiver_is_read_by_the_next_and_renewing_extends_the_session_lock()
    {
        var session = "state-" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await Client.AcceptSessionAsync(SessionQueue, session))
        {
            var initial = await first.GetSessionStateAsync();
            Assert.IsTrue(initial is null || initial.ToArray().Length == 0, "a new session has no state");
            await first.SetSessionStateAsync(BinaryData.FromString("step=2"));
            var before = first.SessionLockedUntil;
            await Task.Delay(TimeSpan.FromSeconds(1));
            await first.RenewSessionLockAsync();
            Assert.IsTrue(first.SessionLockedUntil > before, $"renewed to {first.SessionLockedUntil:O}, was {before:O}");
        }

        await using var second = await Client.AcceptSessionAsync(SessionQueue, session);
        Assert.AreEqual("step=2", (await second.GetSessionStateAsync()).ToString());
        await second.SetSessionStateAsync(null);
    }

    [TestClass] public sealed class Local : When_a_session_receiver_keeps_state_it_survives_the_receiver_and_its_lock_renews { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_session_receiver_keeps_state_it_survives_the_receiver_and_its_lock_renews { protected override bool AgainstAzure => true; }
}
