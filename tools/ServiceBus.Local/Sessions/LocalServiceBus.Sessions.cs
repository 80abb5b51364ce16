using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local;

/// <summary>What a session receiver holds: the session and the token of its session lock.</summary>
internal sealed record SessionHandle(string SessionId, Guid LockToken);

/// <summary>
/// Sessions (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions): one receiver holds a session at a time under a session lock (the entity's
/// LockDuration, renewable); it gets that session's messages in order. Session state is kept until cleared.
/// Closing a session releases its locked messages without counting a delivery; a session lock that times out counts one.
/// </summary>
public sealed partial class LocalServiceBus
{
    /// <summary>Accepts the session with the oldest available message that no one holds; waits up to
    /// <paramref name="maxWaitTime"/> (default 60 s), then fails with ServiceTimeout like the SDK.</summary>
    public async Task<ServiceBusSessionReceiver> AcceptNextSessionAsync(string entityPath, ReceiveMode receiveMode = ReceiveMode.PeekLock,
        TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
    {
        var deadline = Deadline(maxWaitTime);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LinkedListNode<TaskCompletionSource>? turn = null;
            TimeSpan wait;
            ServiceBusSessionReceiver? accepted = null;
            Task durable;
            MessageEntity entity;
            lock (gate)
            {
                entity = ResolveSessionEntity(entityPath);
                var now = Now();
                Maintain(now);
                // The oldest available message whose session no one holds: only messages of held sessions (bounded by
                // the receivers) and locked or deferred ones are stepped over, never the rest of the backlog.
                var candidate = entity.Messages.Values
                    .Where(m => m.State == ServiceBusMessageState.Active && m.LockToken is null && m.SessionId is not null && !entity.SessionLocks.ContainsKey(m.SessionId))
                    .Select(m => m.SessionId!)
                    .FirstOrDefault();
                if (candidate is not null)
                {
                    accepted = LockSession(entity, candidate, receiveMode, now);
                    // Another session may be available too (a batch, several locks expired at once): the next acceptor looks.
                    WakeOneAcceptor(entity);
                }
                durable = Commit();
                if (accepted is not null)
                {
                    wait = TimeSpan.Zero;
                }
                else if (now >= deadline)
                {
                    throw new ServiceBusException(ServiceBusFailureReason.ServiceTimeout,
                        "No session with available messages could be accepted within the wait time.", entity.Path);
                }
                else
                {
                    // Woken, one acceptor at a time, by an arrival or a release in this entity (the due-time pump
                    // releases expired locks); otherwise it sleeps until its deadline.
                    turn = entity.Acceptors.AddLast(NewSignal());
                    wait = deadline - now;
                }
            }
            if (accepted is not null)
            {
                await durable.ConfigureAwait(false);
                return accepted;
            }
            try
            {
                await WaitAsync(turn!.Value.Task, wait, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (gate)
                {
                    if (turn!.List is not null) entity.Acceptors.Remove(turn); // not woken: out of the line
                    else if (cancellationToken.IsCancellationRequested) WakeOneAcceptor(entity); // woken, but leaving: pass it on
                }
            }
        }
    }

    /// <summary>Accepts a named session (with or without messages); fails with SessionCannotBeLocked if held.</summary>
    public Task<ServiceBusSessionReceiver> AcceptSessionAsync(string entityPath, string sessionId, ReceiveMode receiveMode = ReceiveMode.PeekLock,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        lock (gate)
        {
            var entity = ResolveSessionEntity(entityPath);
            var now = Now();
            Maintain(now);
            if (entity.SessionLocks.ContainsKey(sessionId))
            {
                throw new ServiceBusException(ServiceBusFailureReason.SessionCannotBeLocked,
                    $"The requested session '{sessionId}' cannot be accepted. It may be locked by another receiver.", entity.Path);
            }
            var receiver = LockSession(entity, sessionId, receiveMode, now);
            return After(Commit(), receiver);
        }
    }

    private MessageEntity ResolveSessionEntity(string entityPath)
    {
        var (entity, deadLetter) = ResolveReceivable(entityPath);
        if (deadLetter || !entity.Properties.RequiresSession)
            throw new InvalidOperationException($"'{entityPath}' is not session-enabled; use CreateReceiver.");
        return entity;
    }

    private ServiceBusSessionReceiver LockSession(MessageEntity entity, string sessionId, ReceiveMode mode, DateTimeOffset now)
    {
        var held = new SessionLock(Guid.NewGuid(), now + entity.Properties.LockDuration);
        entity.SessionLocks[sessionId] = held;
        NoteSessionLock(entity, sessionId, held);
        return new ServiceBusSessionReceiver(this, entity, mode, new SessionHandle(sessionId, held.Token));
    }

    /// <summary>Fails with SessionLockLost unless <paramref name="session"/> still holds its session.</summary>
    private static void CheckSession(MessageEntity entity, SessionHandle session, DateTimeOffset now)
    {
        if (!entity.SessionLocks.TryGetValue(session.SessionId, out var held) || held.Token != session.LockToken || held.LockedUntil <= now)
            throw ServiceBusException.SessionLockLost(entity.Path, session.SessionId);
    }

    internal DateTimeOffset SessionLockedUntil(MessageEntity entity, SessionHandle session)
    {
        lock (gate)
        {
            return entity.SessionLocks.TryGetValue(session.SessionId, out var held) && held.Token == session.LockToken ? held.LockedUntil : default;
        }
    }

    internal Task<DateTimeOffset> RenewSessionLock(MessageEntity entity, SessionHandle session)
    {
        lock (gate)
        {
            var now = Now();
            Maintain(now);
            CheckSession(entity, session, now);
            var held = entity.SessionLocks[session.SessionId];
            held.LockedUntil = now + entity.Properties.LockDuration;
            NoteSessionLock(entity, session.SessionId, held);
            foreach (var m in entity.Messages.InSession(session.SessionId).Where(m => m.LockToken is not null))
            {
                m.LockedUntil = held.LockedUntil;
                changes.Message(entity.Path, m.SequenceNumber);
            }
            return After(Commit(), held.LockedUntil);
        }
    }

    internal Task<byte[]?> GetSessionState(MessageEntity entity, SessionHandle session)
    {
        lock (gate)
        {
            var now = Now();
            Maintain(now);
            CheckSession(entity, session, now);
            return After(Commit(), entity.SessionStates.TryGetValue(session.SessionId, out var state) ? state.ToArray() : null);
        }
    }

    internal Task SetSessionState(MessageEntity entity, SessionHandle session, byte[]? state)
    {
        lock (gate)
        {
            var now = Now();
            Maintain(now);
            CheckSession(entity, session, now);
            // A session's state counts toward the entity's size quota (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions,
            // "Session state"); setting one is never refused.
            if (entity.SessionStates.Remove(session.SessionId, out var previous)) entity.Size.Remove(previous.Length);
            if (state is not null)
            {
                entity.SessionStates[session.SessionId] = state.ToArray();
                entity.Size.Add(state.Length);
            }
            changes.SessionState(entity, session.SessionId);
            return Commit();
        }
    }

    /// <summary>Closing the receiver releases the session; its locked messages return without a delivery counted. A
    /// session closed with no message locked (every message settled: the usual end of a session) changes nothing durable
    /// (session locks live in memory) and tells its caller nothing new, so it returns at once instead of waiting for the
    /// batch being committed for others.</summary>
    internal Task ReleaseSession(MessageEntity entity, SessionHandle session)
    {
        lock (gate)
        {
            if (disposed) return Task.CompletedTask;
            if (!entity.SessionLocks.TryGetValue(session.SessionId, out var held) || held.Token != session.LockToken) return Task.CompletedTask;
            entity.SessionLocks.Remove(session.SessionId);
            var now = Now();
            var locked = entity.Messages.InSession(session.SessionId).Where(m => m.LockToken is not null).ToList();
            foreach (var m in locked) ReleaseLock(entity, false, m, countsAsFailedDelivery: false, now);
            Pulse(entity);
            return locked.Count == 0 ? Task.CompletedTask : Commit();
        }
    }
}
