using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_queue_forwards_to_another_the_message_arrives_there : ContractSpec
{
    [TestMethod]
    public async Task A_message_sent_to_the_source_is_received_from_the_target()
    {
        await using var sender = Client.CreateSender(ForwardSource);
        await sender.SendMessageAsync(Message("forward me"));

        await using var target = Client.CreateReceiver(ForwardTarget);
        var received = await ReceiveOneAsync(target);

        Assert.AreEqual("forward me", received.Body.ToString());
        await target.CompleteMessageAsync(received);
    }

    [TestClass] public sealed class Local : When_a_queue_forwards_to_another_the_message_arrives_there { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_queue_forwards_to_another_the_message_arrives_there { protected override bool AgainstAzure => true; }
}
