using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Samples;

/// <summary>The Azure SDK's Sample04 "Processor" scenarios (a processor with concurrency and auto-complete, a
/// session processor), written afresh and run against the local broker.</summary>
[TestClass]
public sealed class Sample04Processor_Specs : ContractSpec
{
    protected override bool AgainstAzure => false;

    [TestMethod]
    public async Task Process_messages_with_a_processor()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessagesAsync([new ServiceBusMessage("First"), new ServiceBusMessage("Second")]);
        var bodies = new ConcurrentBag<string>();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var processor = Client.CreateProcessor(Queue, new ServiceBusProcessorOptions { AutoCompleteMessages = false, MaxConcurrentCalls = 2 });
        processor.ProcessMessageAsync += async args =>
        {
            bodies.Add(args.Message.Body.ToString());
            await args.CompleteMessageAsync(args.Message);
            if (bodies.Count == 2) both.TrySetResult();
        };
        processor.ProcessErrorAsync += args => { both.TrySetException(args.Exception); return Task.CompletedTask; };
        await processor.StartProcessingAsync();
        await both.Task.WaitAsync(Expected);
        await processor.StopProcessingAsync();

        CollectionAssert.AreEquivalent(new[] { "First", "Second" }, bodies.ToArray());
    }

    [TestMethod]
    public async Task Process_sessions_with_a_session_processor()
    {
        await using var sender = Client.CreateSender(SessionQueue);
        await sender.SendMessagesAsync([
            new ServiceBusMessage("First") { SessionId = "Session1" },
            new ServiceBusMessage("Second") { SessionId = "Session2" },
        ]);
        var sessions = new ConcurrentBag<string>();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var processor = Client.CreateSessionProcessor(SessionQueue, new ServiceBusSessionProcessorOptions
        {
            MaxConcurrentSessions = 2,
            SessionIdleTimeout = TimeSpan.FromSeconds(1),
        });
        processor.ProcessMessageAsync += async args =>
        {
            sessions.Add(args.SessionId);
            await args.SetSessionStateAsync(new BinaryData("done"));
            if (sessions.Count == 2) both.TrySetResult();
        };
        processor.ProcessErrorAsync += args =>
        {
            if (args.Exception is not ServiceBusException { Reason: ServiceBusFailureReason.ServiceTimeout }) both.TrySetException(args.Exception);
            return Task.CompletedTask;
        };
        await processor.StartProcessingAsync();
        await both.Task.WaitAsync(Expected);
        await processor.StopProcessingAsync();

        CollectionAssert.AreEquivalent(new[] { "Session1", "Session2" }, sessions.ToArray());
    }
}
