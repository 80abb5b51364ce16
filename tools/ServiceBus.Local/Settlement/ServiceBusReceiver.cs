using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local;

/// <summary>
/// Receives from one queue, subscription or dead-letter sub-queue and settles by lock token, like the SDK's
/// <c>ServiceBusReceiver</c>. Any receiver of the same entity can settle a lock token (the Logic Apps built-in
/// connector settles in a later action than the trigger that received).
/// </summary>
public class ServiceBusReceiver : IAsyncDisposable
{
    private protected readonly LocalServiceBus Bus;
    private protected readonly MessageEntity Entity;
    private protected readonly bool DeadLetter;
    private protected bool Closed;

    internal ServiceBusReceiver(LocalServiceBus bus, MessageEntity entity, bool deadLetter, ReceiveMode receiveMode)
    {
        Bus = bus;
        Entity = entity;
        DeadLetter = deadLetter;
        ReceiveMode = receiveMode;
    }

    /// <summary>The path received from, e.g. <c>orders/Subscriptions/lake-archive/$DeadLetterQueue</c>.</summary>
    public string EntityPath => DeadLetter ? Entity.DeadLetterPath : Entity.Path;

    public ReceiveMode ReceiveMode { get; }

    private protected virtual SessionHandle? Session => null;

    /// <summary>Up to <paramref name="maxMessages"/> messages; waits up to <paramref name="maxWaitTime"/> (default 60 s)
    /// for the first one and returns an empty list if none comes. Woken by sends, not by polling.</summary>
    public Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveAsync(int maxMessages = 1, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return Bus.ReceiveAsync(Entity, DeadLetter, ReceiveMode, maxMessages, maxWaitTime, Session, cancellationToken);
    }

    public async Task<ServiceBusReceivedMessage?> ReceiveMessageAsync(TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default) =>
        (await ReceiveAsync(1, maxWaitTime, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>Deferred messages by sequence number (MessageNotFound if one is not deferred here).</summary>
    public Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveDeferredAsync(IEnumerable<long> sequenceNumbers, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return Bus.ReceiveDeferred(Entity, DeadLetter, ReceiveMode, sequenceNumbers, Session);
    }

    public Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekAsync(int maxMessages = 1, long? fromSequenceNumber = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return Bus.Peek(Entity, DeadLetter, maxMessages, fromSequenceNumber, Session?.SessionId);
    }

    public Task CompleteAsync(string lockToken, CancellationToken cancellationToken = default) =>
        Settle(lockToken, LocalServiceBus.Settlement.Complete, cancellationToken);

    public Task AbandonAsync(string lockToken, IDictionary<string, object?>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
        Settle(lockToken, LocalServiceBus.Settlement.Abandon, cancellationToken, propertiesToModify);

    /// <summary>Returns the message without counting a delivery: it never reached the application (AMQP
    /// <c>released</c>, OASIS AMQP 1.0 part 3.4.4).</summary>
    public Task ReleaseAsync(string lockToken, CancellationToken cancellationToken = default) =>
        Settle(lockToken, LocalServiceBus.Settlement.Release, cancellationToken);

    public Task DeferAsync(string lockToken, IDictionary<string, object?>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
        Settle(lockToken, LocalServiceBus.Settlement.Defer, cancellationToken, propertiesToModify);

    /// <summary>Moves the message to the dead-letter sub-queue; reason and description become the
    /// <c>DeadLetterReason</c> / <c>DeadLetterErrorDescription</c> application properties.</summary>
    public Task DeadLetterAsync(string lockToken, string? deadLetterReason = null, string? deadLetterErrorDescription = null,
        IDictionary<string, object?>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
        Settle(lockToken, LocalServiceBus.Settlement.DeadLetter, cancellationToken, propertiesToModify, deadLetterReason, deadLetterErrorDescription);

    /// <summary>Extends the message lock by the entity's LockDuration from now; returns the new LockedUntil.</summary>
    public Task<DateTimeOffset> RenewLockAsync(string lockToken, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        RequirePeekLock();
        return Bus.RenewLock(Entity, DeadLetter, Session, lockToken);
    }

    public Task CompleteAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) => CompleteAsync(message.LockToken, cancellationToken);

    public Task AbandonAsync(ServiceBusReceivedMessage message, IDictionary<string, object?>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
        AbandonAsync(message.LockToken, propertiesToModify, cancellationToken);

    public Task DeferAsync(ServiceBusReceivedMessage message, IDictionary<string, object?>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
        DeferAsync(message.LockToken, propertiesToModify, cancellationToken);

    public Task DeadLetterAsync(ServiceBusReceivedMessage message, string? deadLetterReason = null, string? deadLetterErrorDescription = null,
        IDictionary<string, object?>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
        DeadLetterAsync(message.LockToken, deadLetterReason, deadLetterErrorDescription, propertiesToModify, cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        Closed = true;
        return ValueTask.CompletedTask;
    }

    private Task Settle(string lockToken, LocalServiceBus.Settlement settlement, CancellationToken ct,
        IDictionary<string, object?>? propertiesToModify = null, string? reason = null, string? description = null)
    {
        ThrowIfClosed();
        ct.ThrowIfCancellationRequested();
        RequirePeekLock();
        return Bus.Settle(Entity, DeadLetter, Session, lockToken, settlement, propertiesToModify, reason, description);
    }

    private void RequirePeekLock()
    {
        if (ReceiveMode != ReceiveMode.PeekLock)
            throw new InvalidOperationException("Messages received in ReceiveAndDelete mode are already settled.");
    }

    private protected void ThrowIfClosed() => ObjectDisposedException.ThrowIf(Closed, this);
}

/// <summary>A receiver holding one session: its messages in order, its session lock and its session state.</summary>
public sealed class ServiceBusSessionReceiver : ServiceBusReceiver
{
    private readonly SessionHandle session;

    internal ServiceBusSessionReceiver(LocalServiceBus bus, MessageEntity entity, ReceiveMode receiveMode, SessionHandle session)
        : base(bus, entity, deadLetter: false, receiveMode) => this.session = session;

    private protected override SessionHandle? Session => session;

    public string SessionId => session.SessionId;

    public DateTimeOffset SessionLockedUntil => Bus.SessionLockedUntil(Entity, session);

    public Task<DateTimeOffset> RenewSessionLockAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return Bus.RenewSessionLock(Entity, session);
    }

    public Task<byte[]?> GetSessionStateAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return Bus.GetSessionState(Entity, session);
    }

    /// <summary>Null clears the state.</summary>
    public Task SetSessionStateAsync(byte[]? state, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return Bus.SetSessionState(Entity, session, state);
    }

    /// <summary>Releases the session: another receiver can accept it; unsettled messages return uncounted.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (!Closed) await Bus.ReleaseSession(Entity, session).ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
