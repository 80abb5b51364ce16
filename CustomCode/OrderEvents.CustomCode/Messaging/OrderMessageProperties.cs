namespace OrderEvents.CustomCode.Messaging;

/// <summary>
/// Names of the user (application) properties every order message carries, so that subscription filters
/// (deploy/servicebus/Config.json) route without reading the body, claim checks included.
/// </summary>
public static class OrderMessageProperties
{
    /// <summary><c>OrderCreated</c>, <c>OrderUpdated</c> or <c>OrderCancelled</c>.</summary>
    public const string EventType = "eventType";
    public const string Source = "source";
    /// <summary>The contract version of the body, e.g. <c>1.0</c>.</summary>
    public const string SchemaVersion = "schemaVersion";
    public const string OrderId = "orderId";
    /// <summary>Boolean: the customer consented to SMS (absent consent is false).</summary>
    public const string SmsOptIn = "smsOptIn";
    /// <summary>Boolean: the customer has an E.164 phone number.</summary>
    public const string HasPhone = "hasPhone";
    /// <summary>Boolean: the body is a claim check (<c>payloadReference</c>), the order lies in the lake.</summary>
    public const string ClaimCheck = "claimCheck";
    /// <summary>The object id (GUID) of the authenticated principal that published the event through the intake;
    /// absent when the intake ran without authentication (locally) or the event came by the direct route.</summary>
    public const string PublishedBy = "publishedBy";
}
