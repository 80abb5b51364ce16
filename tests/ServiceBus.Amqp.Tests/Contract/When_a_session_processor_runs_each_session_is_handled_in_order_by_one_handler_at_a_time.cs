using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_session_processor_runs_each_session_is_handled_in_order_by_one_handler_at_a_time : ContractSpec
{
    [TestMethod]
    public async Task Two_sessions_are_processed_each_in_its_own_order()
    {
        var sessions = new[] { "s1-" + Guid.NewGuid().ToString("N")[..6], "s2-" + Guid.NewGuid().ToString("N")[..6] };
        await using var sender = Client.CreateSender(SessionQueue);
        for (var step = 1; step <= 3; step++)
        {
            foreach (var session in sessions)
            {
                var message = Message($"{session}:{step}");
                message.SessionId = session;
                await sender.SendMessageAsync(message);
            }
        }
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, List<int>>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var processor = Client.CreateSessionProcessor(SessionQueue, new ServiceBusSessionProcessorOptions
        {
            MaxConcurrentSessions = 2,
            SessionIdleTimeout = TimeSpan.FromSeconds(1),
        });
        processor.ProcessMessageAsync += args =>
        {
            var parts = args.Message.Body.ToString().Split(':');
            var steps = seen.GetOrAdd(args.SessionId, _ => []);
            lock (steps) steps.Add(int.Parse(parts[1]));
            if (seen.Values.Sum(s => { lock (s) return s.Count; }) == 6) done.TrySetResult();
            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += args =>
        {
            if (args.Exception is ServiceBusException { Reason: ServiceBusFailureReason.ServiceTimeout }) return Task.CompletedTask;
            done.TrySetException(args.Exception);
            return Task.CompletedTask;
        };
        await processor.StartProcessingAsync();
        await done.Task.WaitAsync(Expected);
        await processor.StopProcessingAsync();

        foreach (var session in sessions) CollectionAssert.AreEqual(new[] { 1, 2, 3 }, seen[session]);
    }

    [TestClass] public sealed class Local : When_a_session_processor_runs_each_session_is_handled_in_order_by_one_handler_at_a_time { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_session_processor_runs_each_session_is_handled_in_order_by_one_handler_at_a_time { protected override bool AgainstAzure => true; }
}
