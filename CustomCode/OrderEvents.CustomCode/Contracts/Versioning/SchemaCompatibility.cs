using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Contracts.Versioning;

/// <summary>A change from one minor version to the next that could reject a message the older version accepted.</summary>
/// <param name="Location">JSON Pointer of the place in the newer schema (instance structure, <c>$ref</c>s followed).</param>
public sealed record BreakingChange(string Location, string Code, string Message);

/// <summary>The comparison of one minor version with the one before it.</summary>
public sealed record MinorVersionCheck(string EventType, string FromVersion, string ToVersion, IReadOnlyList<BreakingChange> BreakingChanges)
{
    public bool IsBackwardCompatible => BreakingChanges.Count == 0;
}

/// <summary>
/// The versioning rule made executable: a minor version may only add (optional properties, wider limits, more enum
/// values); every message valid under x.(n) must stay valid under x.(n+1), apart from its <c>schemaVersion</c> stamp.
/// Conservative: a change it cannot prove harmless (a new pattern, a changed composition) counts as breaking.
/// </summary>
public static class SchemaCompatibility
{
    public static class Codes
    {
        public const string NewRequiredProperty = "NewRequiredProperty";
        public const string PropertyRemoved = "PropertyRemoved";
        public const string TypeNarrowed = "TypeNarrowed";
        public const string EnumValueRemoved = "EnumValueRemoved";
        public const string ConstChanged = "ConstChanged";
        public const string LimitTightened = "LimitTightened";
        public const string ConstraintChanged = "ConstraintChanged";
        public const string AdditionalPropertiesClosed = "AdditionalPropertiesClosed";
        public const string SchemaRestricted = "SchemaRestricted";
        public const string UnresolvableReference = "UnresolvableReference";
        public const string MinorVersionGap = "MinorVersionGap";
        public const string RegistryMismatch = "RegistryMismatch";
    }

    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
        { "$schema", "$id", "$defs", "definitions", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly" };
    private static readonly HashSet<string> LowerBounds = new(StringComparer.Ordinal) { "minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties", "minContains" };
    private static readonly HashSet<string> UpperBounds = new(StringComparer.Ordinal) { "maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties", "maxContains" };
    private const int MaxDepth = 64;

    /// <summary>Checks every pair of consecutive minor versions listed in <c>registry.json</c> of a schema folder.</summary>
    public static IReadOnlyList<MinorVersionCheck> CheckRegistry(string schemaDirectory)
    {
        var registry = JObject.Parse(File.ReadAllText(Path.Combine(schemaDirectory, "registry.json")));
        var entries = registry["schemas"]!.Select(e => (
                EventType: (string)e["eventType"]!,
                Version: (string)e["schemaVersion"]!,
                File: (string)e["file"]!))
            .ToList();
        var checks = new List<MinorVersionCheck>();
        foreach (var family in entries.GroupBy(e => (e.EventType, Major: ParseVersion(e.Version).Major)))
        {
            var ordered = family.OrderBy(e => ParseVersion(e.Version).Minor).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (older, newer) = (ordered[i - 1], ordered[i]);
                var changes = new List<BreakingChange>();
                if (ParseVersion(newer.Version).Minor != ParseVersion(older.Version).Minor + 1)
                {
                    changes.Add(new BreakingChange("#", Codes.MinorVersionGap, $"{family.Key.EventType}: {newer.Version} follows {older.Version}; minor versions are consecutive."));
                }
                var olderSchema = JObject.Parse(File.ReadAllText(Path.Combine(schemaDirectory, older.File)));
                var newerSchema = JObject.Parse(File.ReadAllText(Path.Combine(schemaDirectory, newer.File)));
                foreach (var (schema, entry) in new[] { (olderSchema, older), (newerSchema, newer) })
                {
                    if ((string?)schema["properties"]?["schemaVersion"]?["const"] != entry.Version)
                        changes.Add(new BreakingChange("#/properties/schemaVersion", Codes.RegistryMismatch, $"{entry.File} does not fix schemaVersion to \"{entry.Version}\" as registry.json says."));
                }
                changes.AddRange(Compare(olderSchema, newerSchema));
                checks.Add(new MinorVersionCheck(family.Key.EventType, older.Version, newer.Version, changes));
            }
        }
        return checks;
    }

    /// <summary>What in <paramref name="newer"/> could reject a message that <paramref name="older"/> accepted.</summary>
    public static IReadOnlyList<BreakingChange> Compare(JObject older, JObject newer)
    {
        var changes = new List<BreakingChange>();
        CompareNode(older, older, newer, newer, "#", changes, 0);
        return changes;
    }

    private static void CompareNode(JObject olderRoot, JToken older, JObject newerRoot, JToken newer, string location, List<BreakingChange> changes, int depth)
    {
        if (depth > MaxDepth) return;
        older = Resolve(olderRoot, older, location, changes);
        newer = Resolve(newerRoot, newer, location, changes);
        if (older is JValue { Type: JTokenType.Boolean } olderFlag && !(bool)olderFlag) return; // nothing was valid before
        if (newer is JValue { Type: JTokenType.Boolean } newerFlag)
        {
            if (!(bool)newerFlag) changes.Add(new BreakingChange(location, Codes.SchemaRestricted, "The schema became 'false': nothing is valid here any more."));
            return;
        }
        if (older is not JObject o || newer is not JObject n)
        {
            if (older is JObject { Count: > 0 } && newer is not JObject) return;
            if (newer is JObject { Count: > 0 } && older is not JObject)
                changes.Add(new BreakingChange(location, Codes.SchemaRestricted, "An unconstrained value became constrained."));
            return;
        }

        foreach (var property in n.Properties())
        {
            var keyword = property.Name;
            if (Annotations.Contains(keyword) || keyword == "$ref") continue;
            var oldValue = o[keyword];
            var newValue = property.Value;
            switch (keyword)
            {
                case "type":
                    var oldTypes = Types(oldValue);
                    var newTypes = Types(newValue);
                    var lost = oldTypes is null ? new[] { "any" } : oldTypes.Where(t => !newTypes!.Contains(t) && !(t == "integer" && newTypes.Contains("number"))).ToArray();
                    if (lost.Length > 0) changes.Add(new BreakingChange(location, Codes.TypeNarrowed, $"Type no longer allows {string.Join(", ", lost)}."));
                    break;
                case "const":
                    if (location == "#/properties/schemaVersion") break; // the version stamp itself changes by definition
                    if (oldValue is null || !JToken.DeepEquals(oldValue, newValue))
                        changes.Add(new BreakingChange(location, Codes.ConstChanged, $"The constant is now {newValue.ToString(Newtonsoft.Json.Formatting.None)}."));
                    break;
                case "enum":
                    var removed = oldValue is JArray oldEnum
                        ? oldEnum.Where(v => !((JArray)newValue).Any(w => JToken.DeepEquals(v, w))).Select(v => v.ToString(Newtonsoft.Json.Formatting.None)).ToArray()
                        : new[] { "(any value: the enum is new)" };
                    if (removed.Length > 0) changes.Add(new BreakingChange(location, Codes.EnumValueRemoved, $"No longer allowed: {string.Join(", ", removed)}."));
                    break;
                case "required":
                    var oldRequired = oldValue?.Values<string>().ToHashSet() ?? new HashSet<string?>();
                    foreach (var name in newValue.Values<string>().Where(r => !oldRequired.Contains(r)))
                        changes.Add(new BreakingChange($"{location}/properties/{name}", Codes.NewRequiredProperty, $"'{name}' became required; older messages lack it. Add it as optional, or make a new major version."));
                    break;
                case "properties":
                    break; // compared below, from the older side
                case "additionalProperties":
                    if (oldValue is null || oldValue is JValue { Type: JTokenType.Boolean } && (bool)oldValue)
                    {
                        if (newValue is JValue { Type: JTokenType.Boolean } && !(bool)newValue)
                            changes.Add(new BreakingChange(location, Codes.AdditionalPropertiesClosed, "Unlisted properties were allowed and are now rejected."));
                        else if (newValue is JObject)
                            CompareNode(olderRoot, new JObject(), newerRoot, newValue, $"{location}/additionalProperties", changes, depth + 1);
                    }
                    else if (oldValue is JObject)
                    {
                        CompareNode(olderRoot, oldValue, newerRoot, newValue, $"{location}/additionalProperties", changes, depth + 1);
                    }
                    break;
                case "items":
                    CompareNode(olderRoot, oldValue ?? new JValue(true), newerRoot, newValue, $"{location}/items", changes, depth + 1);
                    break;
                default:
                    if (LowerBounds.Contains(keyword) || UpperBounds.Contains(keyword))
                    {
                        var tighter = oldValue is null
                            || (LowerBounds.Contains(keyword) ? (double)newValue > (double)oldValue : (double)newValue < (double)oldValue);
                        if (tighter) changes.Add(new BreakingChange(location, Codes.LimitTightened, $"'{keyword}' is now {newValue} (was {oldValue?.ToString() ?? "unlimited"})."));
                    }
                    else if (oldValue is null || !JToken.DeepEquals(oldValue, newValue))
                    {
                        // pattern, format, oneOf, ...: whether the new one accepts all the old did cannot be proven here
                        changes.Add(new BreakingChange(location, Codes.ConstraintChanged, $"'{keyword}' was {(oldValue is null ? "added" : "changed")}; a minor version may not change it."));
                    }
                    break;
            }
        }

        if (o["properties"] is JObject oldProperties)
        {
            var newProperties = n["properties"] as JObject;
            foreach (var property in oldProperties.Properties())
            {
                var propertyLocation = $"{location}/properties/{property.Name}";
                if (newProperties?[property.Name] is { } newProperty)
                    CompareNode(olderRoot, property.Value, newerRoot, newProperty, propertyLocation, changes, depth + 1);
                else
                    changes.Add(new BreakingChange(propertyLocation, Codes.PropertyRemoved, $"'{property.Name}' was removed; minor versions only add."));
            }
        }
    }

    private static JToken Resolve(JObject root, JToken node, string location, List<BreakingChange> changes)
    {
        for (var hops = 0; node is JObject { } withRef && withRef["$ref"] is JValue { Type: JTokenType.String } reference && hops < MaxDepth; hops++)
        {
            var pointer = (string)reference!;
            var target = pointer.StartsWith("#/", StringComparison.Ordinal) ? root.SelectToken(PointerToPath(pointer[2..])) : pointer == "#" ? root : null;
            if (target is null)
            {
                changes.Add(new BreakingChange(location, Codes.UnresolvableReference, $"'{pointer}' cannot be resolved inside the file; schemas are self-contained."));
                return new JValue(true);
            }
            // Keywords next to $ref apply too (2020-12): merge them over the target.
            var merged = (JObject)target.DeepClone();
            foreach (var sibling in withRef.Properties().Where(p => p.Name != "$ref")) merged[sibling.Name] = sibling.Value.DeepClone();
            node = merged;
        }
        return node;
    }

    private static string PointerToPath(string pointer) =>
        string.Join(".", pointer.Split('/').Select(s => $"['{s.Replace("~1", "/").Replace("~0", "~").Replace("'", "\\'")}']"));

    private static HashSet<string>? Types(JToken? value) => value switch
    {
        null => null,
        JArray array => array.Values<string>().ToHashSet()!,
        _ => new HashSet<string> { (string)value! },
    };

    private static (int Major, int Minor) ParseVersion(string version) =>
        OrderEventContracts.TryParseVersion(version, out var major, out var minor) ? (major, minor) : throw new InvalidDataException($"'{version}' in registry.json is not <major>.<minor>.");
}
