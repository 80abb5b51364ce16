namespace ServiceBus.Local.Filters;

/// <summary>What filters and rule actions see of a message: system properties by their broker names (sys.Label,
/// sys.MessageId, …) and user (application) properties, both looked up case-insensitively.</summary>
internal interface IFilterMessage
{
    /// <summary>False when <paramref name="name"/> is not a system property at all (an error in a filter).</summary>
    bool TryGetSystemProperty(string name, out object? value);

    bool TryGetUserProperty(string name, out object? value);

    void SetUserProperty(string name, object? value);

    void RemoveUserProperty(string name);

    /// <summary>Throws <see cref="FilterException"/> for unknown or read-only system properties.</summary>
    void SetSystemProperty(string name, object? value);
}

internal static class PropertyLookup
{
    /// <summary>Exact key first, then case-insensitively: property names in filters are case-insensitive.</summary>
    public static bool TryGet(IReadOnlyDictionary<string, object?> properties, string name, out object? value, out string? actualKey)
    {
        if (properties.TryGetValue(name, out value)) { actualKey = name; return true; }
        foreach (var (key, v) in properties)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) { value = v; actualKey = key; return true; }
        }
        value = null;
        actualKey = null;
        return false;
    }
}
