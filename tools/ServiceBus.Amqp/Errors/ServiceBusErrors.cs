using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using LocalException = ServiceBus.Local.Errors.ServiceBusException;

namespace ServiceBus.Amqp.Errors;

/// <summary>
/// The AMQP error conditions Azure Service Bus answers with, and how the local broker's failures map onto them, so a
/// client sees the same <c>ServiceBusFailureReason</c> it would get from Azure. Condition names: the <c>com.microsoft:</c>
/// vendor conditions of "AMQP 1.0 in Azure Service Bus and Event Hubs protocol guide"
/// (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-protocol-guide) and the OASIS AMQP 1.0
/// error conditions (part 2.8.15 "amqp-error", part 2.8.16 "connection-error", part 2.8.18 "link-error").
/// </summary>
public static class ServiceBusErrors
{
    public static readonly AmqpSymbol Timeout = "com.microsoft:timeout";
    public static readonly AmqpSymbol MessageLockLost = "com.microsoft:message-lock-lost";
    public static readonly AmqpSymbol SessionLockLost = "com.microsoft:session-lock-lost";
    public static readonly AmqpSymbol SessionCannotBeLocked = "com.microsoft:session-cannot-be-locked";
    public static readonly AmqpSymbol MessageNotFound = "com.microsoft:message-not-found";
    public static readonly AmqpSymbol EntityDisabled = "com.microsoft:entity-disabled";
    public static readonly AmqpSymbol EntityAlreadyExists = "com.microsoft:entity-already-exists";
    public static readonly AmqpSymbol ServerBusy = "com.microsoft:server-busy";
    public static readonly AmqpSymbol ArgumentError = "com.microsoft:argument-error";
    public static readonly AmqpSymbol DeadLetter = "com.microsoft:dead-letter";

    /// <summary>The error a failed broker operation answers with.</summary>
    public static Error From(Exception exception) => exception switch
    {
        AmqpException { Error: { } error } => error,
        LocalException local => new Error { Condition = ConditionOf(local), Description = local.Message },
        TopologyException topology => new Error { Condition = ArgumentError, Description = topology.Message },
        ArgumentException argument => new Error { Condition = ArgumentError, Description = argument.Message },
        ObjectDisposedException => new Error { Condition = ServerBusy, Description = "The broker is shutting down." },
        InvalidOperationException invalid => new Error { Condition = AmqpErrorCode.NotAllowed, Description = invalid.Message },
        NotSupportedException unsupported => new Error { Condition = AmqpErrorCode.NotImplemented, Description = unsupported.Message },
        OperationCanceledException => new Error { Condition = Timeout, Description = "The operation did not complete within the allotted timeout." },
        _ => new Error { Condition = AmqpErrorCode.InternalError, Description = exception.Message },
    };

    public static AmqpException Exception(Exception exception) => exception as AmqpException ?? new AmqpException(From(exception));

    public static AmqpException NotFound(string entity) =>
        // The client recognises "The messaging entity ... could not be found" as MessagingEntityNotFound.
        new(new Error { Condition = AmqpErrorCode.NotFound, Description = $"The messaging entity '{entity}' could not be found." });

    public static AmqpException Argument(string description) => new(new Error { Condition = ArgumentError, Description = description });

    public static AmqpException NotImplemented(string description) => new(new Error { Condition = AmqpErrorCode.NotImplemented, Description = description });

    private static AmqpSymbol ConditionOf(LocalException exception) => exception.Reason switch
    {
        ServiceBusFailureReason.MessagingEntityNotFound => AmqpErrorCode.NotFound,
        ServiceBusFailureReason.MessageLockLost => MessageLockLost,
        ServiceBusFailureReason.SessionLockLost => SessionLockLost,
        ServiceBusFailureReason.SessionCannotBeLocked => SessionCannotBeLocked,
        ServiceBusFailureReason.MessageNotFound => MessageNotFound,
        ServiceBusFailureReason.MessageSizeExceeded => AmqpErrorCode.MessageSizeExceeded,
        ServiceBusFailureReason.MessagingEntityDisabled => EntityDisabled,
        ServiceBusFailureReason.MessagingEntityAlreadyExists => EntityAlreadyExists,
        ServiceBusFailureReason.QuotaExceeded => AmqpErrorCode.ResourceLimitExceeded,
        ServiceBusFailureReason.ServiceBusy => ServerBusy,
        ServiceBusFailureReason.ServiceTimeout => Timeout,
        _ => AmqpErrorCode.InternalError,
    };

    /// <summary>The status code of a $management or $cbs reply carrying this error ("AMQP request-response
    /// operations in Service Bus": HTTP-like codes, https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-request-response).</summary>
    public static int StatusCodeOf(Error error)
    {
        var condition = error.Condition.Value;
        if (condition == AmqpErrorCode.NotFound.Value || condition == MessageNotFound.Value) return 404;
        if (condition == MessageLockLost.Value || condition == SessionLockLost.Value || condition == SessionCannotBeLocked.Value) return 410;
        if (condition == ArgumentError.Value || condition == AmqpErrorCode.NotAllowed.Value || condition == EntityDisabled.Value) return 400;
        if (condition == EntityAlreadyExists.Value) return 409;
        if (condition == AmqpErrorCode.MessageSizeExceeded.Value || condition == AmqpErrorCode.ResourceLimitExceeded.Value) return 403;
        if (condition == Timeout.Value) return 408;
        if (condition == ServerBusy.Value) return 503;
        if (condition == AmqpErrorCode.NotImplemented.Value) return 501;
        if (condition == AmqpErrorCode.UnauthorizedAccess.Value) return 401;
        return 500;
    }
}
