using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_receiver_grants_credit_it_takes_no_more_messages_than_that : ContractSpec
{
    [TestMethod]
    public async Task A_receive_call_takes_at_most_its_maximum_and_leaves_the_rest_to_others()
    {
        await using var sender = Client.CreateSender(Queue);
        for (var i = 0; i < 5; i++) await sender.SendMessageAsync(Message($"m{i}"));

        await using var first = Client.CreateReceiver(Queue);
        var taken = await first.ReceiveMessagesAsync(2, Expected);
        Assert.IsTrue(taken.Count is >= 1 and <= 2, $"at most 2, got {taken.Count}");

        await using var second = Client.CreateReceiver(Queue);
        var rest = new List<ServiceBusReceivedMessage>();
        while (rest.Count < 5 - taken.Count && await second.ReceiveMessageAsync(TimeSpan.FromSeconds(2)) is { } m) rest.Add(m);

        Assert.AreEqual(5, taken.Count + rest.Count, "every message is delivered exactly once between the two receivers");
        Assert.AreEqual(0, taken.Select(m => m.MessageId).Intersect(rest.Select(m => m.MessageId)).Count());
    }

    [TestMethod]
    public async Task Prefetched_messages_are_locked_for_the_prefetching_receiver()
    {
        await using var sender = Client.CreateSender(Queue);
        for (var i = 0; i < 5; i++) await sender.SendMessageAsync(Message($"m{i}"));

        await using var prefetching = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { PrefetchCount = 3 });
        var first = await ReceiveOneAsync(prefetching);

        await using var other = Client.CreateReceiver(Queue);
        var left = new List<ServiceBusReceivedMessage>();
        while (await other.ReceiveMessageAsync(TimeSpan.FromSeconds(1)) is { } m) left.Add(m);

        Assert.AreEqual(2, left.Count, "3 of the 5 messages went to the prefetching receiver");
        var prefetched = await prefetching.ReceiveMessagesAsync(2, Expected);
        Assert.AreEqual(2, prefetched.Count, "the 2 prefetched messages are handed out from the buffer");
        Assert.AreEqual(5, new[] { first }.Concat(left).Concat(prefetched).Select(m => m.MessageId).Distinct().Count());
    }

    [TestClass] public sealed class Local : When_a_receiver_grants_credit_it_takes_no_more_messages_than_that { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_receiver_grants_credit_it_takes_no_more_messages_than_that { protected override bool AgainstAzure => true; }
}
