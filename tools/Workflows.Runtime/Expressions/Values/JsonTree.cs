using System.Collections.ObjectModel;
using System.Linq.Expressions;
using System.Reflection;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>
/// Copying and walking Newtonsoft trees without the enumerators Newtonsoft allocates for them. A JSON token can have
/// one parent: a container adopts a token that has none and silently deep-copies one that has (its
/// <c>CloneToken</c> allocates two enumerators per property on the way). The engine never changes a value in place
/// once an action, a record or a variable holds it (docs/runtime/engine.md, "Values and copies"), so a copy is only
/// ever needed to give a borrowed value (one that belongs to another tree) a second parent.
/// </summary>
internal static class JsonTree
{
    /// <summary>What a container can take: the value itself when nothing holds it, otherwise a copy.</summary>
    public static JToken Adoptable(JToken value) => value.Parent is null ? value : Copy(value);

    /// <summary>
    /// A property whose value is <paramref name="value"/> itself, not a copy, even when another tree holds it: the value
    /// keeps its one parent (its home) and the property only points down at it. Read downwards (indexers,
    /// <c>Value</c>, children, serializing, freezing, <see cref="Copy"/>), the property holds the value; its <c>Parent</c>,
    /// <c>Path</c> and <c>Root</c> still name the home. Only for values nobody changes afterwards (docs/runtime/engine.md,
    /// "Values passed whole to a function"). A value whose home is an array is copied instead: its sibling links belong
    /// to that array, and a walk by <c>Next</c> from it would run into the home's other items.
    /// </summary>
    public static JProperty Borrowing(string name, JToken value)
    {
        if (value.Parent is not JProperty) return new JProperty(name, Adoptable(value));
        var property = new JProperty(name);
        SetValueSlot(property, value);
        return property;
    }

    // JProperty keeps its value in a one-slot list (JProperty.JPropertyList._token): writing the slot is what
    // JContainer.InsertItem does, minus making the property the value's parent (Newtonsoft.Json 13.0.3). Compiled once.
    private static readonly Action<JProperty, JToken> SetValueSlot = CompileSetValueSlot();

    private static Action<JProperty, JToken> CompileSetValueSlot()
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var content = typeof(JProperty).GetField("_content", Private)
            ?? throw new MissingFieldException("Newtonsoft.Json.Linq.JProperty", "_content");
        var slot = content.FieldType.GetField("_token", Private | BindingFlags.Public)
            ?? throw new MissingFieldException(content.FieldType.FullName, "_token");
        var property = Expression.Parameter(typeof(JProperty), "property");
        var value = Expression.Parameter(typeof(JToken), "value");
        var assign = Expression.Assign(Expression.Field(Expression.Field(property, content), slot), value);
        return Expression.Lambda<Action<JProperty, JToken>>(assign, property, value).Compile();
    }

    /// <summary>
    /// An empty object whose property list and name index already hold <paramref name="capacity"/> properties. A
    /// <c>JObject</c> keeps its properties in a <c>List</c> and a <c>Dictionary</c> by name (Newtonsoft.Json 13.0.3,
    /// <c>JPropertyKeyedCollection</c>), both created empty and grown by doubling as properties are added (3, 7, 17, 37
    /// entries for the dictionary, each growth a new pair of arrays and a rehash); where the number of properties is known
    /// before they are added (a copy, a template, a connector's fixed shape, a parsed object), this allocates each once at
    /// its size. Adding more than <paramref name="capacity"/> properties still works (they grow as before), and the object
    /// is an ordinary <c>JObject</c> in every other respect.
    /// </summary>
    public static JObject NewObject(int capacity)
    {
        var obj = new JObject();
        if (capacity > 0) SizeObject(obj, capacity);
        return obj;
    }

    /// <summary>An empty array whose item list already holds <paramref name="capacity"/> items (see <see cref="NewObject"/>).</summary>
    public static JArray NewArray(int capacity)
    {
        var array = new JArray();
        if (capacity > 0) SizeArray(array, capacity);
        return array;
    }

    // JObject._properties (a JPropertyKeyedCollection: a Collection<JToken> over a List<JToken>, plus _dictionary, created on
    // the first property with Newtonsoft's own ordinal comparer) and JArray._values (a List<JToken>), Newtonsoft.Json 13.0.3.
    // Compiled once; a field that is missing (another Newtonsoft version) leaves objects and arrays unsized.
    private static readonly Action<JObject, int>? SizeObjectFields = CompileSizeObject();
    private static readonly Action<JArray, int>? SizeArrayFields = CompileSizeArray();

    /// <summary>True when this Newtonsoft version's fields were found, so that objects and arrays are made at their size.</summary>
    internal static bool CanSize => SizeObjectFields is not null && SizeArrayFields is not null;

    private static void SizeObject(JObject obj, int capacity) => SizeObjectFields?.Invoke(obj, capacity);

    private static void SizeArray(JArray array, int capacity) => SizeArrayFields?.Invoke(array, capacity);

    private static Action<JObject, int>? CompileSizeObject()
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var propertiesField = typeof(JObject).GetField("_properties", Private);
        var collectionType = propertiesField?.FieldType;
        var dictionaryField = collectionType?.GetField("_dictionary", Private);
        var comparer = collectionType?.GetField("Comparer", BindingFlags.Static | BindingFlags.NonPublic)?.GetValue(null) as IEqualityComparer<string>;
        var itemsField = typeof(Collection<JToken>).GetField("items", Private);
        if (propertiesField is null || dictionaryField is null || dictionaryField.FieldType != typeof(Dictionary<string, JToken>)
            || comparer is null || itemsField is null || !typeof(Collection<JToken>).IsAssignableFrom(collectionType))
        {
            return null;
        }
        var obj = Expression.Parameter(typeof(JObject), "obj");
        var capacity = Expression.Parameter(typeof(int), "capacity");
        var properties = Expression.Variable(collectionType!, "properties");
        var constructor = typeof(Dictionary<string, JToken>).GetConstructor([typeof(int), typeof(IEqualityComparer<string>)])!;
        var body = Expression.Block(
            [properties],
            Expression.Assign(properties, Expression.Field(obj, propertiesField)),
            Expression.Assign(Expression.Field(properties, dictionaryField), Expression.New(constructor, capacity, Expression.Constant(comparer))),
            Expression.Assign(
                Expression.Property(Expression.Convert(Expression.Field(Expression.Convert(properties, typeof(Collection<JToken>)), itemsField), typeof(List<JToken>)), nameof(List<JToken>.Capacity)),
                capacity));
        var size = Expression.Lambda<Action<JObject, int>>(body, obj, capacity).Compile();
        // The list must be the List<JToken> Newtonsoft gives the collection, and the object must stay usable: checked once.
        try
        {
            var probe = new JObject();
            size(probe, 2);
            probe.Add("a", 1);
            probe.Add("b", 2);
            probe.Add("c", 3);
            return probe["b"]?.Type == JTokenType.Integer && probe.Count == 3 ? size : null;
        }
        catch (InvalidCastException)
        {
            return null;
        }
    }

    private static Action<JArray, int>? CompileSizeArray()
    {
        var valuesField = typeof(JArray).GetField("_values", BindingFlags.Instance | BindingFlags.NonPublic);
        if (valuesField is null || valuesField.FieldType != typeof(List<JToken>)) return null;
        var array = Expression.Parameter(typeof(JArray), "array");
        var capacity = Expression.Parameter(typeof(int), "capacity");
        var body = Expression.Assign(Expression.Property(Expression.Field(array, valuesField), nameof(List<JToken>.Capacity)), capacity);
        return Expression.Lambda<Action<JArray, int>>(body, array, capacity).Compile();
    }

    /// <summary>A deep copy with the same token types and values (what <c>DeepClone</c> gives, without its enumerators).</summary>
    public static JToken Copy(JToken value)
    {
        switch (value)
        {
            case JObject obj:
            {
                var copy = NewObject(obj.Count);
                for (var property = (JProperty?)obj.First; property is not null; property = (JProperty?)property.Next)
                {
                    copy.Add(new JProperty(property.Name, Copy(property.Value)));
                }
                return copy;
            }
            case JArray array:
            {
                var copy = NewArray(array.Count);
                for (var i = 0; i < array.Count; i++) copy.Add(Copy(array[i]));
                return copy;
            }
            case JValue scalar when scalar.GetType() == typeof(JValue):
                return new JValue(scalar);
            default:
                // JRaw, JConstructor, a lone JProperty: rare, Newtonsoft's own copy.
                return value.DeepClone();
        }
    }
}
