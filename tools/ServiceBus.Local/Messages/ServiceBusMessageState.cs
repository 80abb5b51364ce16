namespace ServiceBus.Local.Messages;

/// <summary>Where a message stands in its entity (relevant when peeking), as Service Bus reports it.</summary>
public enum ServiceBusMessageState
{
    Active = 0,
    Deferred = 1,
    Scheduled = 2,
}

/// <summary>How a receiver takes messages (https://learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement).</summary>
public enum ReceiveMode
{
    PeekLock,
    ReceiveAndDelete,
}
