using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_messages_share_a_session_one_receiver_gets_them_in_order : ContractSpec
{
    [TestMethod]
    public async Task Accepting_the_next_session_yields_its_messages_in_send_order()
    {
        var session = "order-" + Guid.NewGuid().ToString("N")[..8];
        await using var sender = Client.CreateSender(SessionQueue);
        foreach (var step in new[] { "created", "updated", "cancelled" })
        {
            var message = Message(step);
            message.SessionId = session;
            await sender.SendMessageAsync(message);
        }

        await using var receiver = await Client.AcceptNextSessionAsync(SessionQueue);
        Assert.AreEqual(session, receiver.SessionId);
        Assert.IsTrue(receiver.SessionLockedUntil > DateTimeOffset.UtcNow);
        var steps = new List<string>();
        while (steps.Count < 3)
        {
            var received = await ReceiveOneAsync(receiver);
            Assert.AreEqual(session, received.SessionId);
            steps.Add(received.Body.ToString());
            await receiver.CompleteMessageAsync(received);
        }

        CollectionAssert.AreEqual(new[] { "created", "updated", "cancelled" }, steps);
    }

    [TestMethod]
    public async Task A_message_without_a_session_id_is_refused_by_a_session_queue()
    {
        await using var sender = Client.CreateSender(SessionQueue);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sender.SendMessageAsync(Message("no session")));
    }

    [TestClass] public sealed class Local : When_messages_share_a_session_one_receiver_gets_them_in_order { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_messages_share_a_session_one_receiver_gets_them_in_order { protected override bool AgainstAzure => true; }
}
