using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_the_same_message_id_is_sent_twice_within_the_window_the_duplicate_is_dropped : ContractSpec
{
    [TestMethod]
    public async Task The_second_send_is_accepted_and_silently_dropped()
    {
        var id = "dup-" + Guid.NewGuid().ToString("N");
        await using var sender = Client.CreateSender(DuplicateQueue);
        await sender.SendMessageAsync(Message("first", id));
        await sender.SendMessageAsync(Message("second", id));
        await sender.SendMessageAsync(Message("other"));

        await using var receiver = Client.CreateReceiver(DuplicateQueue);
        var first = await ReceiveOneAsync(receiver);
        var other = await ReceiveOneAsync(receiver);

        Assert.AreEqual("first", first.Body.ToString());
        Assert.AreEqual("other", other.Body.ToString());
        await AssertEmptyAsync(receiver);
    }

    [TestClass] public sealed class Local : When_the_same_message_id_is_sent_twice_within_the_window_the_duplicate_is_dropped { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_the_same_message_id_is_sent_twice_within_the_window_the_duplicate_is_dropped { protected override bool AgainstAzure => true; }
}
