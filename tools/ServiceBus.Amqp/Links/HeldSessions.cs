using System.Collections.Concurrent;
using ServiceBus.Local;

namespace ServiceBus.Amqp.Links;

/// <summary>The sessions clients hold through their receiver links, so $management operations that name a session
/// (renew the session lock, session state, settle by lock token) act on the receiver that holds it.</summary>
internal sealed class HeldSessions
{
    private readonly ConcurrentDictionary<(string Entity, string SessionId), ServiceBusSessionReceiver> held = new();

    public void Add(string entityPath, ServiceBusSessionReceiver receiver) => held[(Key(entityPath), receiver.SessionId)] = receiver;

    public void Remove(string entityPath, ServiceBusSessionReceiver receiver) =>
        held.TryRemove(new KeyValuePair<(string, string), ServiceBusSessionReceiver>((Key(entityPath), receiver.SessionId), receiver));

    public ServiceBusSessionReceiver? Find(string entityPath, string sessionId) =>
        held.TryGetValue((Key(entityPath), sessionId), out var receiver) ? receiver : null;

    private static string Key(string entityPath) => entityPath.Trim('/').ToLowerInvariant();
}
