namespace Workflows.Tests.DeadLetterAlerts;

/// <summary>The four generated dead-letter alert workflows: each test runs against every one of them.</summary>
public static class DeadLetters
{
    public const string Sap = "SapFulfillmentDeadLetters";
    public const string Sms = "SmsNotificationDeadLetters";
    public const string Warehouse = "WarehouseInventoryDeadLetters";
    public const string Lake = "LakeArchiveDeadLetters";

    /// <summary>The subscriber (subscription) whose dead letters a workflow reads.</summary>
    public static string SubscriberOf(string workflow) => workflow switch
    {
        Sap => "sap-fulfillment",
        Sms => "sms-notification",
        Warehouse => "warehouse-inventory",
        Lake => "lake-archive",
        _ => throw new ArgumentOutOfRangeException(nameof(workflow), workflow, "not a dead-letter alert workflow"),
    };

    public static string QueueOf(string workflow) => "deadletters-" + SubscriberOf(workflow);
}
