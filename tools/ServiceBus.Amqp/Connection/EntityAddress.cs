namespace ServiceBus.Amqp.Connection;

/// <summary>
/// What a link's source or target address names. Clients write entity addresses as <c>/orders</c>,
/// <c>orders/Subscriptions/sap-fulfillment/$DeadLetterQueue</c> or <c>amqp://host/orders</c>; request/response nodes
/// are <c>$cbs</c> and <c>&lt;entity&gt;/$management</c> ("AMQP 1.0 in Azure Service Bus and Event Hubs protocol
/// guide", sections "Claims-based authorization" and "AMQP management").
/// </summary>
internal readonly record struct EntityAddress(EntityAddressKind Kind, string EntityPath)
{
    public const string Cbs = "$cbs";
    public const string Management = "$management";

    public static EntityAddress Parse(string? address)
    {
        var path = (address ?? "").Trim();
        if (Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" or "sb")
            path = Uri.UnescapeDataString(uri.AbsolutePath);
        path = path.Trim('/');
        if (string.Equals(path, Cbs, StringComparison.OrdinalIgnoreCase)) return new(EntityAddressKind.Cbs, "");
        var suffix = "/" + Management;
        if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return new(EntityAddressKind.Management, path[..^suffix.Length]);
        if (string.Equals(path, Management, StringComparison.OrdinalIgnoreCase)) return new(EntityAddressKind.Management, "");
        return new(EntityAddressKind.Entity, path);
    }
}

internal enum EntityAddressKind
{
    Entity,
    Cbs,
    Management,
}
