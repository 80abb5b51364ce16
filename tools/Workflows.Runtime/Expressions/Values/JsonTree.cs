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

    /// <summary>A deep copy with the same token types and values (what <c>DeepClone</c> gives, without its enumerators).</summary>
    public static JToken Copy(JToken value)
    {
        switch (value)
        {
            case JObject obj:
            {
                var copy = new JObject();
                for (var property = (JProperty?)obj.First; property is not null; property = (JProperty?)property.Next)
                {
                    copy.Add(new JProperty(property.Name, Copy(property.Value)));
                }
                return copy;
            }
            case JArray array:
            {
                var copy = new JArray();
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
