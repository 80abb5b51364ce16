namespace Simulation.Checking;

/// <summary>The four subscribers of the orders topic, each with the downstream it changes.</summary>
public enum Subscriber : byte
{
    Sap = 0,
    Sms = 1,
    Warehouse = 2,
    Lake = 3,
}

public static class Subscribers
{
    public static readonly Subscriber[] All = [Subscriber.Sap, Subscriber.Sms, Subscriber.Warehouse, Subscriber.Lake];

    /// <summary>The workflow that processes the subscription.</summary>
    public static string Workflow(this Subscriber subscriber) => subscriber switch
    {
        Subscriber.Sap => "SapFulfillment",
        Subscriber.Sms => "SmsNotification",
        Subscriber.Warehouse => "WarehouseInventory",
        _ => "LakeArchive",
    };

    /// <summary>The subscriber id the workflows track and the dead-letter cards and archive name.</summary>
    public static string Id(this Subscriber subscriber) => subscriber switch
    {
        Subscriber.Sap => "sap-fulfillment",
        Subscriber.Sms => "sms-notification",
        Subscriber.Warehouse => "warehouse-inventory",
        _ => "lake-archive",
    };

    /// <summary>The downstream, as summary.json names it in <c>duplicateSideEffects</c>.</summary>
    public static string Downstream(this Subscriber subscriber) => subscriber switch
    {
        Subscriber.Sap => "sap",
        Subscriber.Sms => "twilio",
        Subscriber.Warehouse => "warehouse",
        _ => "lake",
    };

    /// <summary>The dead-letter workflow that alerts for the subscriber.</summary>
    public static string DeadLetterWorkflow(this Subscriber subscriber) => subscriber.Workflow() + "DeadLetters";

    /// <summary>Session subscribers must apply an order's events in business order.</summary>
    public static bool IsSession(this Subscriber subscriber) => subscriber is Subscriber.Sap or Subscriber.Warehouse;

    public static bool TryParse(string? text, out Subscriber subscriber)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.Id(), StringComparison.OrdinalIgnoreCase) ||
                string.Equals(text, candidate.Workflow(), StringComparison.OrdinalIgnoreCase) ||
                string.Equals(text, candidate.DeadLetterWorkflow(), StringComparison.OrdinalIgnoreCase))
            {
                subscriber = candidate;
                return true;
            }
        }
        subscriber = default;
        return false;
    }
}
