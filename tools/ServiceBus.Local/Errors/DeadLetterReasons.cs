namespace ServiceBus.Local.Errors;

/// <summary>
/// Dead-letter reasons and descriptions the broker itself sets (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues), and the application property
/// names it stores them under.
/// </summary>
public static class DeadLetterReasons
{
    public const string ReasonProperty = "DeadLetterReason";
    public const string DescriptionProperty = "DeadLetterErrorDescription";

    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";
    public const string TtlExpired = "TTLExpiredException";
    public const string SessionIdIsNull = "Session ID is null.";
    public const string MaxTransferHopCountExceeded = "MaxTransferHopCountExceeded";

    internal static string MaxDeliveryCountDescription(int attempts) =>
        $"Message could not be consumed after {attempts} delivery attempts.";

    internal const string TtlExpiredDescription = "The message expired and was dead lettered.";
    internal const string SessionIdIsNullDescription =
        "Session enabled entity doesn't allow a message whose session identifier is null.";
}
