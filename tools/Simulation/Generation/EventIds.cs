using System.Globalization;

namespace Simulation.Generation;

/// <summary>The three business events an order can have, in business order.</summary>
public enum EventKind : byte
{
    Created = 0,
    Updated = 1,
    Cancelled = 2,
}

/// <summary>One event of the simulated day: an order (0-based) and which of its events.</summary>
public readonly record struct EventRef(int Order, EventKind Kind)
{
    public const int KindsPerOrder = 3;

    /// <summary>A dense index for per-event arrays: three slots per order.</summary>
    public int Slot => Order * KindsPerOrder + (int)Kind;

    public static EventRef FromSlot(int slot) => new(slot / KindsPerOrder, (EventKind)(slot % KindsPerOrder));

    public string EventType => Kind switch
    {
        EventKind.Created => "OrderCreated",
        EventKind.Updated => "OrderUpdated",
        _ => "OrderCancelled",
    };
}

/// <summary>
/// How the simulation names orders and events, so that what a downstream saw (an order id in SAP, a message id on a Teams
/// card, a correlation id in run history) leads back to the event without a lookup table: the order number is in every id.
/// Each event has its own correlation id, so a run's client tracking id names exactly one event.
/// </summary>
public static class EventIds
{
    public static string OrderId(int seed, int order) => string.Create(CultureInfo.InvariantCulture, $"S{seed}-{order:D7}");

    public static string MessageId(int seed, EventRef e) => string.Create(CultureInfo.InvariantCulture, $"s{seed}-{e.Order:D7}-{Word(e.Kind)}-v1");

    public static string CorrelationId(int seed, EventRef e) => string.Create(CultureInfo.InvariantCulture, $"sim-{seed}-{e.Order:D7}-{Word(e.Kind)}");

    public static bool TryParseOrderId(int seed, string? text, out int order)
    {
        order = -1;
        var prefix = string.Create(CultureInfo.InvariantCulture, $"S{seed}-");
        return text is not null && text.StartsWith(prefix, StringComparison.Ordinal)
               && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out order);
    }

    public static bool TryParseMessageId(int seed, string? text, out EventRef e) => TryParse(text, string.Create(CultureInfo.InvariantCulture, $"s{seed}-"), "-v1", out e);

    public static bool TryParseCorrelationId(int seed, string? text, out EventRef e) => TryParse(text, string.Create(CultureInfo.InvariantCulture, $"sim-{seed}-"), "", out e);

    private static bool TryParse(string? text, string prefix, string suffix, out EventRef e)
    {
        e = default;
        if (text is null || !text.StartsWith(prefix, StringComparison.Ordinal) || !text.EndsWith(suffix, StringComparison.Ordinal)) return false;
        var middle = text.AsSpan(prefix.Length, text.Length - prefix.Length - suffix.Length);
        var dash = middle.IndexOf('-');
        if (dash <= 0 || !int.TryParse(middle[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var order)) return false;
        EventKind? kind = middle[(dash + 1)..] switch
        {
            "created" => EventKind.Created,
            "updated" => EventKind.Updated,
            "cancelled" => EventKind.Cancelled,
            _ => null,
        };
        if (kind is null) return false;
        e = new EventRef(order, kind.Value);
        return true;
    }

    private static string Word(EventKind kind) => kind switch
    {
        EventKind.Created => "created",
        EventKind.Updated => "updated",
        _ => "cancelled",
    };
}
