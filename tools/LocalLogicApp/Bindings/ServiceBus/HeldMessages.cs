using ServiceBus.Local;

namespace LocalLogicApp.Bindings.ServiceBus;

/// <summary>
/// The messages a trigger handed to runs and has not seen settled, by lock token: which receiver holds each
/// (a session's messages can only be settled through the session's receiver), so the settle actions of a run
/// reach the broker through the right one, as the connector's stateful receiver does in Azure.
/// The lock tokens are also kept by receiver: a session closes after every message it delivered, and forgetting
/// its messages then touches only them, not every message the triggers hold.
/// </summary>
internal sealed class HeldMessages
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Held> byLockToken = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<ServiceBusReceiver, HashSet<string>> byReceiver = new(ReferenceEqualityComparer.Instance);

    public void Add(string lockToken, ServiceBusReceiver receiver, string entityPath, string? sessionId)
    {
        lock (gate)
        {
            if (byLockToken.Remove(lockToken, out var previous)) Unindex(lockToken, previous.Receiver);
            byLockToken[lockToken] = new Held(receiver, entityPath, sessionId);
            if (!byReceiver.TryGetValue(receiver, out var tokens)) byReceiver[receiver] = tokens = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            tokens.Add(lockToken);
        }
    }

    public bool TryGet(string lockToken, out Held held)
    {
        lock (gate) return byLockToken.TryGetValue(lockToken, out held!);
    }

    public void Forget(string lockToken)
    {
        lock (gate)
        {
            if (byLockToken.Remove(lockToken, out var held)) Unindex(lockToken, held.Receiver);
        }
    }

    public Held? FindSession(string entityPath, string sessionId)
    {
        lock (gate)
        {
            return byLockToken.Values.FirstOrDefault(h => h.SessionId == sessionId && string.Equals(h.EntityPath, entityPath, StringComparison.OrdinalIgnoreCase));
        }
    }

    public void ForgetReceiver(ServiceBusReceiver receiver)
    {
        lock (gate)
        {
            if (!byReceiver.Remove(receiver, out var tokens)) return;
            foreach (var token in tokens) byLockToken.Remove(token);
        }
    }

    /// <summary>How many messages are held (all receivers).</summary>
    public int Count
    {
        get { lock (gate) return byLockToken.Count; }
    }

    private void Unindex(string lockToken, ServiceBusReceiver receiver)
    {
        if (!byReceiver.TryGetValue(receiver, out var tokens)) return;
        tokens.Remove(lockToken);
        if (tokens.Count == 0) byReceiver.Remove(receiver);
    }

    public sealed record Held(ServiceBusReceiver Receiver, string EntityPath, string? SessionId);
}
