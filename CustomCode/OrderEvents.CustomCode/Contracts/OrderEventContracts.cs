namespace OrderEvents.CustomCode.Contracts;

/// <summary>One contract version this code knows: mirrors one entry of <c>Artifacts/Schemas/registry.json</c>
/// (a test keeps the two equal).</summary>
/// <param name="OptionalDataProperties">Properties of <c>data</c> beyond the 1.0 core that this version allows.</param>
public sealed record OrderEventContract(string EventType, int Major, int Minor, IReadOnlyCollection<string> OptionalDataProperties)
{
    public string SchemaVersion => $"{Major}.{Minor}";

    /// <summary>File of the JSON Schema in <c>Artifacts/Schemas</c>: <c>&lt;EventType&gt;.v&lt;major&gt;.&lt;minor&gt;.schema.json</c>.</summary>
    public string SchemaFileName => $"{EventType}.v{Major}.{Minor}.schema.json";
}

/// <summary>The registry of contract versions the validator accepts.</summary>
public static class OrderEventContracts
{
    public const string CancellationReason = "cancellationReason";
    public const string PromisedDeliveryDate = "promisedDeliveryDate";

    public static readonly IReadOnlyList<OrderEventContract> All = new[]
    {
        new OrderEventContract(OrderEventTypes.Created, 1, 0, Array.Empty<string>()),
        new OrderEventContract(OrderEventTypes.Created, 1, 1, new[] { PromisedDeliveryDate }),
        new OrderEventContract(OrderEventTypes.Updated, 1, 0, Array.Empty<string>()),
        new OrderEventContract(OrderEventTypes.Cancelled, 1, 0, new[] { CancellationReason }),
    };

    public static bool IsKnownEventType(string eventType) => All.Any(c => c.EventType == eventType);

    public static OrderEventContract? Find(string eventType, int major, int minor) =>
        All.FirstOrDefault(c => c.EventType == eventType && c.Major == major && c.Minor == minor);

    public static IReadOnlyList<OrderEventContract> VersionsOf(string eventType) =>
        All.Where(c => c.EventType == eventType).OrderBy(c => c.Major).ThenBy(c => c.Minor).ToArray();

    /// <summary>Parses <c>&lt;major&gt;.&lt;minor&gt;</c> (no leading zeros, no signs, no extra parts).</summary>
    public static bool TryParseVersion(string? text, out int major, out int minor)
    {
        major = minor = 0;
        if (text is null) return false;
        var dot = text.IndexOf('.');
        return dot > 0 && TryParsePart(text.AsSpan(0, dot), out major) && TryParsePart(text.AsSpan(dot + 1), out minor);
    }

    private static bool TryParsePart(ReadOnlySpan<char> part, out int value)
    {
        value = 0;
        if (part.Length is 0 or > 9 || (part.Length > 1 && part[0] == '0')) return false;
        foreach (var c in part)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
