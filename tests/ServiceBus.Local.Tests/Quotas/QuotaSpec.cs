using ServiceBus.Local.Messages;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Quotas;

/// <summary>What the quota specs share: messages whose size is known by hand. The broker counts a message's body, its
/// system string properties in UTF-8 and its application properties (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas,
/// "Message size"): a body of <c>n</c> bytes with a 4-character message id and nothing else weighs <c>n + 4</c>, and a
/// session id adds its length.</summary>
public abstract class QuotaSpec : BrokerSpec
{
    /// <summary>A message of exactly <paramref name="size"/> bytes as the broker counts it (message id "m-NN").</summary>
    protected static ServiceBusMessage OfSize(int size, int id, string? sessionId = null) =>
        new(new byte[size - 4 - (sessionId?.Length ?? 0)]) { MessageId = $"m-{id:D2}", SessionId = sessionId };
}
