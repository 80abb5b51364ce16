using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_processor_handles_messages_it_completes_them_and_dead_letters_failures : ContractSpec
{
    [TestMethod]
    public async Task Successful_handlers_complete_and_a_handler_that_dead_letters_leaves_the_message_in_the_dead_letter_queue()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessagesAsync([Message("ok-1"), Message("poison"), Message("ok-2")]);
        var handled = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var processor = Client.CreateProcessor(Queue, new ServiceBusProcessorOptions { MaxConcurrentCalls = 2, AutoCompleteMessages = true });
        processor.ProcessMessageAsync += async args =>
        {
            var body = args.Message.Body.ToString();
            if (body == "poison") await args.DeadLetterMessageAsync(args.Message, "InvalidMessage", "cannot be mapped");
            handled.Enqueue(body);
            if (handled.Count == 3) done.TrySetResult();
        };
        processor.ProcessErrorAsync += args =>
        {
            done.TrySetException(args.Exception);
            return Task.CompletedTask;
        };
        await processor.StartProcessingAsync();
        await done.Task.WaitAsync(Expected);
        await processor.StopProcessingAsync();

        CollectionAssert.AreEquivalent(new[] { "ok-1", "poison", "ok-2" }, handled.ToArray());
        await using var receiver = Client.CreateReceiver(Queue);
        await AssertEmptyAsync(receiver);
        await using var deadLetters = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        Assert.AreEqual("cannot be mapped", (await ReceiveOneAsync(deadLetters)).DeadLetterErrorDescription);
    }

    [TestClass] public sealed class Local : When_a_processor_handles_messages_it_completes_them_and_dead_letters_failures { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_processor_handles_messages_it_completes_them_and_dead_letters_failures { protected override bool AgainstAzure => true; }
}
