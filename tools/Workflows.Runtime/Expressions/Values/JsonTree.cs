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
