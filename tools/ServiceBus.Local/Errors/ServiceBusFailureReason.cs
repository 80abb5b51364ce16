namespace ServiceBus.Local.Errors;

/// <summary>Why an operation failed, named as Azure.Messaging.ServiceBus names it (<c>ServiceBusFailureReason</c>).</summary>
public enum ServiceBusFailureReason
{
    GeneralError,
    MessagingEntityNotFound,
    MessageLockLost,
    MessageNotFound,
    MessageSizeExceeded,
    MessagingEntityDisabled,
    QuotaExceeded,
    ServiceBusy,
    ServiceTimeout,
    ServiceCommunicationProblem,
    SessionCannotBeLocked,
    SessionLockLost,
    MessagingEntityAlreadyExists,
}
