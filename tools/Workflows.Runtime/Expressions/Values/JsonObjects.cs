using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>Objects and arrays made at their size, for the local host's bindings that build values of a known shape (a
/// Service Bus trigger item has 20 properties): see <see cref="JsonTree.NewObject"/>.</summary>
public static class JsonObjects
{
    /// <summary>An empty <c>JObject</c> that takes <paramref name="capacity"/> properties without growing.</summary>
    public static JObject Sized(int capacity) => JsonTree.NewObject(capacity);

    /// <summary>An empty <c>JArray</c> that takes <paramref name="capacity"/> items without growing.</summary>
    public static JArray SizedArray(int capacity) => JsonTree.NewArray(capacity);
}
