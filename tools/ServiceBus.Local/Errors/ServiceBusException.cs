namespace ServiceBus.Local.Errors;

/// <summary>
/// The one failure type of the local broker, shaped like the SDK's <c>ServiceBusException</c>: callers branch on
/// <see cref="Reason"/>, never on the message text.
/// </summary>
public sealed class ServiceBusException : Exception
{
    public ServiceBusException(ServiceBusFailureReason reason, string message, string? entityPath = null)
        : base(entityPath is null ? message : $"{message} (entity: {entityPath})")
    {
        Reason = reason;
        EntityPath = entityPath;
    }

    public ServiceBusFailureReason Reason { get; }

    public string? EntityPath { get; }

    /// <summary>As in the SDK: only busy/timeout/communication failures are worth retrying unchanged.</summary>
    public bool IsTransient => Reason is ServiceBusFailureReason.ServiceBusy or ServiceBusFailureReason.ServiceTimeout
        or ServiceBusFailureReason.ServiceCommunicationProblem;

    internal static ServiceBusException EntityNotFound(string path) =>
        new(ServiceBusFailureReason.MessagingEntityNotFound, $"The messaging entity '{path}' could not be found.", path);

    internal static ServiceBusException LockLost(string path) =>
        new(ServiceBusFailureReason.MessageLockLost,
            "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.", path);

    internal static ServiceBusException SessionLockLost(string path, string sessionId) =>
        new(ServiceBusFailureReason.SessionLockLost,
            $"The session lock has expired on the MessageSession '{sessionId}'. Accept a new MessageSession.", path);
}
