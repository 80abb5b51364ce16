using ServiceBus.Local.Errors;

namespace LocalLogicApp.Bindings.ServiceBus;

/// <summary>A failure the local Service Bus connector reports instead of running an action (see
/// <see cref="ServiceBusBinding.Faults"/>), e.g. <c>MessageLockLost</c> on the next complete.</summary>
public sealed record ServiceBusFault(ServiceBusFailureReason Reason, string Message)
{
    public static ServiceBusFault LockLost() => new(ServiceBusFailureReason.MessageLockLost,
        "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue, or was received by a different receiver instance.");

    public static ServiceBusFault SessionLockLost() => new(ServiceBusFailureReason.SessionLockLost,
        "The session lock has expired on the MessageSession. Accept a new MessageSession.");

    public static ServiceBusFault Busy() => new(ServiceBusFailureReason.ServiceBusy, "The server is busy. Please retry the operation.");
}
