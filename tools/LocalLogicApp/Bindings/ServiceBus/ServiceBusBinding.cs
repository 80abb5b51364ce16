using System.Collections.Concurrent;
using LocalLogicApp.StandIns.Faults;
using Newtonsoft.Json.Linq;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;

namespace LocalLogicApp.Bindings.ServiceBus;

/// <summary>Tuning of the local Service Bus connector.</summary>
public sealed record ServiceBusBindingOptions
{
    /// <summary>How long one receive waits for a message before the trigger loop looks again (woken at once by a send).</summary>
    public TimeSpan ReceiveWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions a session trigger works on at the same time (one message at a time within a session).</summary>
    public int MaxConcurrentSessions { get; init; } = 8;

    /// <summary>Batch size of the peek-lock triggers when the trigger sets no <c>maxMessageBatchSize</c> (host.json default).</summary>
    public int DefaultMaxMessageBatchSize { get; init; } = 25;

    /// <summary>Where trigger problems are reported (a trigger never stops because of one).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// The built-in Service Bus connector (<c>/serviceProviders/serviceBus</c>, https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/servicebus/) on the local
/// broker. Triggers: <c>peekLockTopicMessagesV2</c>, <c>peekLockQueueMessagesV2</c> (arrays, for
/// <c>splitOn</c>), <c>receiveTopicMessages</c>/<c>receiveQueueMessages</c> (auto-complete),
/// <c>onSingleNewMessageFromTopicSession</c>/<c>...QueueSession</c> (one message per run, the next message of the
/// session only after the run ended, so a session is processed in order) and <c>onNewMessagesFromTopicSession</c>/
/// <c>...QueueSession</c>. Actions: <c>sendMessage</c>, <c>sendMessages</c>, the V2 settle operations for topics and
/// queues (complete, abandon, dead-letter, defer, renew lock), the session settle operations
/// (<c>completeMessageInSession</c>, ...) and session management (renew, close). Failures are failed actions
/// carrying the Service Bus reason (<c>MessageLockLost</c>, <c>SessionLockLost</c>, ...). The connection's
/// identity and namespace are not used: there is one local namespace.
/// </summary>
public sealed class ServiceBusBinding(LocalServiceBus bus, ServiceBusBindingOptions? options = null) : IServiceProviderBinding, IAsyncDisposable
{
    public const string Id = "/serviceProviders/serviceBus";

    private readonly ServiceBusBindingOptions options = options ?? new ServiceBusBindingOptions();
    private readonly HeldMessages held = new();
    private readonly ConcurrentDictionary<string, ServiceBusReceiver> settlers = new(StringComparer.OrdinalIgnoreCase);

    public string ServiceProviderId => Id;

    /// <summary>Faults injected into actions by operationId (e.g. <c>MessageLockLost</c> on the next
    /// <c>completeMessageInSession</c>), or for one workflow's calls only by <c>"&lt;workflow&gt;:&lt;operationId&gt;"</c>.</summary>
    public FaultPlan<ServiceBusFault> Faults { get; } = new();

    public LocalServiceBus Bus => bus;

    /// <summary>
    /// Loses the lock of a message a run holds, as when it expires during a long downstream call (fault injection): the
    /// broker takes the message back at once (delivery count + 1, redelivered to whoever receives next), and the run's
    /// later settlement with <paramref name="lockToken"/> fails with MessageLockLost. False when no run holds that lock.
    /// </summary>
    public async Task<bool> LoseLockAsync(string lockToken)
    {
        if (!held.TryGet(lockToken, out var holder)) return false;
        held.Forget(lockToken);
        try
        {
            await holder.Receiver.AbandonAsync(lockToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is ServiceBusException or ObjectDisposedException)
        {
            return false;
        }
    }

    public async Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        try
        {
            if ((Faults.OnCall($"{request.WorkflowName}:{request.OperationId}", out _) ?? Faults.OnCall(request.OperationId, out _)) is { } fault)
            {
                throw new ServiceBusException(fault.Reason, fault.Message);
            }
            switch (request.OperationId)
            {
                case "sendMessage":
                    await bus.SendAsync(Required(p, "entityName"), ConnectorMessages.ToBrokerMessage(p["message"]), cancellationToken).ConfigureAwait(false);
                    return new ConnectorResponse(200);
                case "sendMessages":
                    var batch = p["messages"] as JArray ?? throw new FormatException("The 'messages' parameter must be an array of message objects.");
                    await bus.SendAsync(Required(p, "entityName"), batch.Select(ConnectorMessages.ToBrokerMessage).ToList(), cancellationToken).ConfigureAwait(false);
                    return new ConnectorResponse(200);

                case "completeTopicMessageV2" or "completeQueueMessageV2" or "completeMessageInSession":
                    await Settle(request, (r, token) => r.CompleteAsync(token, cancellationToken)).ConfigureAwait(false);
                    return new ConnectorResponse(200);
                case "abandonTopicMessageV2" or "abandonQueueMessageV2" or "abandonMessageInSession":
                    await Settle(request, (r, token) => r.AbandonAsync(token, null, cancellationToken)).ConfigureAwait(false);
                    return new ConnectorResponse(200);
                case "deferTopicMessageV2" or "deferQueueMessageV2" or "deferMessageInSession":
                    await Settle(request, (r, token) => r.DeferAsync(token, null, cancellationToken)).ConfigureAwait(false);
                    return new ConnectorResponse(200);
                case "deadLetterTopicMessageV2" or "deadLetterQueueMessageV2" or "deadLetterMessageInSession":
                    await Settle(request, (r, token) => r.DeadLetterAsync(token, Optional(p, "deadLetterReason"), Optional(p, "deadLetterErrorDescription"), null, cancellationToken)).ConfigureAwait(false);
                    return new ConnectorResponse(200);
                case "renewLockTopicMessageV2" or "renewLockQueueMessageV2":
                    var token = Required(p, "lockToken");
                    var lockedUntil = await Settler(request, token).RenewLockAsync(token, cancellationToken).ConfigureAwait(false);
                    return new ConnectorResponse(200, new JObject { ["lockedUntilUtc"] = lockedUntil.UtcDateTime.ToString("O") });

                case "renewTopicSession" or "renewQueueSession":
                    var renewed = await SessionReceiver(request).RenewSessionLockAsync(cancellationToken).ConfigureAwait(false);
                    return new ConnectorResponse(200, new JObject { ["lockedUntilUtc"] = renewed.UtcDateTime.ToString("O") });
                case "closeTopicSession" or "closeQueueSession":
                    var session = SessionReceiver(request);
                    held.ForgetReceiver(session);
                    await session.DisposeAsync().ConfigureAwait(false);
                    return new ConnectorResponse(200);

                default:
                    return ServiceProviderFailure.Create(400, "OperationNotSupported",
                        $"The local Service Bus connector does not implement '{request.OperationId}' as an action.");
            }
        }
        catch (ServiceBusException ex)
        {
            return ServiceProviderFailure.Create(StatusOf(ex.Reason), ex.Reason.ToString(), ex.Message);
        }
        catch (FormatException ex)
        {
            return ServiceProviderFailure.Create(400, "InvalidParameters", ex.Message);
        }
    }

    public Task RunTriggerAsync(ServiceProviderRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken)
    {
        var p = trigger.Parameters;
        return trigger.OperationId switch
        {
            "peekLockTopicMessagesV2" or "peekLockQueueMessagesV2" =>
                ReceiveLoopAsync(trigger, EntityOf(trigger), ReceiveMode.PeekLock, BatchSize(p, "maxMessageBatchSize"), fire, cancellationToken),
            "receiveTopicMessages" or "receiveQueueMessages" when !Flag(p, "isSessionsEnabled") =>
                ReceiveLoopAsync(trigger, EntityOf(trigger), ReceiveMode.ReceiveAndDelete, BatchSize(p, "maxMessageBatchSize"), fire, cancellationToken),
            "onSingleNewMessageFromTopicSession" or "onSingleNewMessageFromQueueSession" =>
                SessionLoopsAsync(trigger, EntityOf(trigger), single: true, 1, fire, cancellationToken),
            "onNewMessagesFromTopicSession" or "onNewMessagesFromQueueSession" =>
                SessionLoopsAsync(trigger, EntityOf(trigger), single: false, BatchSize(p, "maxMessages"), fire, cancellationToken),
            _ => throw new NotSupportedException(
                $"Workflow '{trigger.WorkflowName}': the local Service Bus connector has no trigger '{trigger.OperationId}'" +
                (trigger.OperationId.StartsWith("receive", StringComparison.Ordinal) ? " with sessions (use a session trigger)." : ".")),
        };
    }

    /// <summary>Peek-lock (or auto-complete) trigger: receive up to a batch, fire once with the array.</summary>
    private async Task ReceiveLoopAsync(ServiceProviderRequest trigger, string path, ReceiveMode mode, int batchSize, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken)
    {
        var receiver = bus.CreateReceiver(path, mode);
        await using var _ = receiver.ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<ServiceBusReceivedMessage> messages;
            try
            {
                messages = await receiver.ReceiveAsync(batchSize, options.ReceiveWait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ServiceBusException ex)
            {
                Report(trigger, $"receive from '{path}' failed ({ex.Reason}): {ex.Message}");
                continue;
            }
            if (messages.Count == 0) continue;
            foreach (var message in messages.Where(m => m.LockToken.Length > 0)) held.Add(message.LockToken, receiver, path, null);
            var outputs = new JObject { ["body"] = new JArray(messages.Select(ConnectorMessages.ToConnectorMessage)) };
            if (await FireAsync(trigger, outputs, fire, waitForRuns: false, cancellationToken).ConfigureAwait(false) == Firing.NoRun)
            {
                foreach (var message in messages.Where(m => m.LockToken.Length > 0)) await AbandonQuietly(receiver, message.LockToken).ConfigureAwait(false);
            }
        }
    }

    private Task SessionLoopsAsync(ServiceProviderRequest trigger, string path, bool single, int batchSize, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.MaxConcurrentSessions))
            .Select(_ => Task.Run(() => SessionLoopAsync(trigger, path, single, batchSize, fire, cancellationToken), CancellationToken.None)));

    /// <summary>One session at a time: accept the next session with messages, run its messages one firing after the
    /// other (each only after the previous runs ended), close it when it has nothing more.</summary>
    private async Task SessionLoopAsync(ServiceProviderRequest trigger, string path, bool single, int batchSize, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ServiceBusSessionReceiver session;
            try
            {
                session = await bus.AcceptNextSessionAsync(path, ReceiveMode.PeekLock, options.ReceiveWait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.ServiceTimeout)
            {
                continue;
            }
            catch (ServiceBusException ex)
            {
                Report(trigger, $"accepting a session of '{path}' failed ({ex.Reason}): {ex.Message}");
                continue;
            }

            var crashed = false;
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var messages = await session.ReceiveAsync(batchSize, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                    if (messages.Count == 0) break;
                    foreach (var message in messages) held.Add(message.LockToken, session, path, session.SessionId);
                    var items = messages.Select(ConnectorMessages.ToConnectorMessage).ToArray();
                    var outputs = new JObject { ["body"] = single ? items[0] : new JArray(items) };
                    var fired = await FireAsync(trigger, outputs, fire, waitForRuns: true, cancellationToken).ConfigureAwait(false);
                    if (fired == Firing.RunInterrupted)
                    {
                        // The run stopped where it is, as in a host that died: nothing settles or closes the session, whose
                        // lock is held until it expires; then the broker hands the session to a receiver again.
                        crashed = true;
                        break;
                    }
                    if (fired == Firing.NoRun)
                    {
                        foreach (var message in messages) await AbandonQuietly(session, message.LockToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (ServiceBusException ex) when (ex.Reason is ServiceBusFailureReason.SessionLockLost)
            {
                Report(trigger, $"session '{session.SessionId}' of '{path}' was lost: {ex.Message}");
            }
            finally
            {
                held.ForgetReceiver(session);
                if (!crashed) await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private enum Firing { Started, NoRun, RunInterrupted }

    /// <summary>Fires the trigger: <see cref="Firing.NoRun"/> when no run could start (the messages are then abandoned, not
    /// left locked); <see cref="Firing.RunInterrupted"/> when a run it waited for was stopped where it is (its messages stay
    /// locked until the locks expire, as after a crash).</summary>
    private async Task<Firing> FireAsync(ServiceProviderRequest trigger, JObject outputs, Func<JObject, CancellationToken, Task> fire, bool waitForRuns, CancellationToken cancellationToken)
    {
        try
        {
            var firing = fire(outputs, cancellationToken);
            await firing.ConfigureAwait(false);
            // The engine hands back the runs it started; a session waits for them so its next message starts after.
            if (waitForRuns && firing is Task<IReadOnlyList<WorkflowRun>> started)
            {
                foreach (var run in started.Result) await run.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            return Firing.Started;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (RunInterruptedException)
        {
            return Firing.RunInterrupted;
        }
        catch (Exception ex)
        {
            Report(trigger, $"the trigger could not start a run: {ex.Message}");
            return Firing.NoRun;
        }
    }

    private async Task Settle(ServiceProviderRequest request, Func<ServiceBusReceiver, string, Task> settle)
    {
        var token = Required(request.Parameters, "lockToken");
        try
        {
            await settle(Settler(request, token), token).ConfigureAwait(false);
        }
        finally
        {
            held.Forget(token);
        }
    }

    /// <summary>The receiver to settle through: the one that received the message, or (for a lock token this
    /// process never handed out) any receiver of the named entity, which the broker will refuse with MessageLockLost.</summary>
    private ServiceBusReceiver Settler(ServiceProviderRequest request, string lockToken)
    {
        var isSessionOperation = request.OperationId.EndsWith("InSession", StringComparison.Ordinal);
        if (held.TryGet(lockToken, out var holder) && (isSessionOperation || string.Equals(holder.EntityPath, EntityOf(request), StringComparison.OrdinalIgnoreCase)))
        {
            return holder.Receiver;
        }
        if (isSessionOperation)
        {
            throw new ServiceBusException(ServiceBusFailureReason.MessageLockLost,
                $"The lock supplied is invalid: no open session holds the message with lock token '{lockToken}' (the session was closed or its lock expired).");
        }
        var path = EntityOf(request);
        return settlers.GetOrAdd(path, p => bus.CreateReceiver(p));
    }

    private ServiceBusSessionReceiver SessionReceiver(ServiceProviderRequest request)
    {
        var sessionId = Required(request.Parameters, "sessionId");
        return held.FindSession(EntityOf(request), sessionId)?.Receiver as ServiceBusSessionReceiver
               ?? throw new ServiceBusException(ServiceBusFailureReason.SessionLockLost, $"No open session '{sessionId}' on '{EntityOf(request)}'.");
    }

    /// <summary>The entity a trigger or action names: a queue, or a topic's subscription (a dead-letter sub-queue
    /// may be named with <c>/$deadletterqueue</c>, as the connector accepts).</summary>
    private static string EntityOf(ServiceProviderRequest request)
    {
        var p = request.Parameters;
        if (Optional(p, "queueName") is { } queue) return queue;
        var topic = Optional(p, "topicName") ?? throw new FormatException("The parameter 'queueName' or 'topicName' is required.");
        if (topic.Contains("/Subscriptions/", StringComparison.OrdinalIgnoreCase)) return topic;
        var subscription = Optional(p, "subscriptionName") ?? throw new FormatException("The parameter 'subscriptionName' is required with 'topicName'.");
        return EntityPath.FormatSubscriptionPath(topic, subscription);
    }

    private static async Task AbandonQuietly(ServiceBusReceiver receiver, string lockToken)
    {
        try
        {
            await receiver.AbandonAsync(lockToken).ConfigureAwait(false);
        }
        catch (ServiceBusException)
        {
            // The lock is gone already: the broker returns the message by itself.
        }
    }

    private void Report(ServiceProviderRequest trigger, string problem) =>
        options.Log?.Invoke($"{trigger.WorkflowName}/{trigger.OperationName}: {problem}");

    private int BatchSize(JObject p, string name)
    {
        var token = p.GetValue(name, StringComparison.OrdinalIgnoreCase);
        return token?.Type switch
        {
            JTokenType.Integer when (int)token > 0 => (int)token,
            JTokenType.String when int.TryParse((string?)token, out var n) && n > 0 => n,
            _ => options.DefaultMaxMessageBatchSize,
        };
    }

    private static bool Flag(JObject p, string name) =>
        p.GetValue(name, StringComparison.OrdinalIgnoreCase) is { } token &&
        (token.Type == JTokenType.Boolean ? (bool)token : bool.TryParse(token.ToString(), out var flag) && flag);

    private static string Required(JObject p, string name) =>
        Optional(p, name) ?? throw new FormatException($"The parameter '{name}' is required.");

    private static string? Optional(JObject p, string name)
    {
        var token = p.GetValue(name, StringComparison.OrdinalIgnoreCase);
        return token is null || token.Type == JTokenType.Null || token.ToString().Length == 0 ? null : token.ToString();
    }

    private static int StatusOf(ServiceBusFailureReason reason) => reason switch
    {
        ServiceBusFailureReason.MessagingEntityNotFound or ServiceBusFailureReason.MessageNotFound => 404,
        ServiceBusFailureReason.ServiceBusy => 503,
        ServiceBusFailureReason.ServiceTimeout => 504,
        ServiceBusFailureReason.QuotaExceeded => 403,
        ServiceBusFailureReason.MessagingEntityDisabled => 409,
        ServiceBusFailureReason.ServiceCommunicationProblem or ServiceBusFailureReason.GeneralError => 500,
        _ => 400,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var receiver in settlers.Values) await receiver.DisposeAsync().ConfigureAwait(false);
        settlers.Clear();
    }
}
