using System.Collections.Concurrent;
using ServiceBus.Local;

namespace LocalLogicApp.Bindings.ServiceBus;

/// <summary>
/// The messages a trigger handed to runs and has not seen settled, by lock token: which receiver holds each
/// (a session's messages can only be settled through the session's receiver), so the settle actions of a run
/// reach the broker through the right one, as the connector's stateful receiver does in Azure.
/// </summary>
internal sealed class HeldMessages
{
    private readonly ConcurrentDictionary<string, Held> byLockToken = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string lockToken, ServiceBusReceiver receiver, string entityPath, string? sessionId) =>
        byLockToken[lockToken] = new Held(receiver, entityPath, sessionId);

    public bool TryGet(string lockToken, out Held held) => byLockToken.TryGetValue(lockToken, out held!);

    public void Forget(string lockToken) => byLockToken.TryRemove(lockToken, out _);

    public Held? FindSession(string entityPath, string sessionId) =>
        byLockToken.Values.FirstOrDefault(h => h.SessionId == sessionId && string.Equals(h.EntityPath, entityPath, StringComparison.OrdinalIgnoreCase));

    public void ForgetReceiver(ServiceBusReceiver receiver)
    {
        foreach (var (token, held) in byLockToken)
        {
            if (ReferenceEquals(held.Receiver, receiver)) byLockToken.TryRemove(token, out _);
        }
    }

    public sealed record Held(ServiceBusReceiver Receiver, string EntityPath, string? SessionId);
}
