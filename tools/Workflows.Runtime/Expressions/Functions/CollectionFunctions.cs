using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>Collection functions (Microsoft's reference, "Collection functions"): strings, arrays and, where
/// documented, objects. Item equality is the deep value equality of <c>equals()</c>.</summary>
internal static class CollectionFunctions
{
    public static void Register(Action<FunctionDefinition> add)
    {
        add(Define("contains", 2, 2, Contains));
        add(Define("empty", 1, 1, Empty));
        add(Define("first", 1, 1, static (in FunctionCall c) => Edge(c, first: true)));
        add(Define("last", 1, 1, static (in FunctionCall c) => Edge(c, first: false)));
        add(Define("intersection", 2, int.MaxValue, Intersection));
        add(Define("union", 2, int.MaxValue, Union));
        add(Define("join", 2, 2, Join));
        add(Define("reverse", 1, 1, Reverse));
        add(Define("skip", 2, 2, Skip));
        add(Define("take", 2, 2, Take));
        add(Define("sort", 1, 2, Sort));
    }

    private static JToken Contains(in FunctionCall c)
    {
        var value = c[1];
        switch (c[0])
        {
            case JValue { Type: JTokenType.String } s:
                return new JValue(((string)s.Value!).Contains(WdlValue.ToText(value), StringComparison.Ordinal));
            case JArray array:
                foreach (var item in array)
                    if (WdlValue.ValueEquals(item, value)) return new JValue(true);
                return new JValue(false);
            case JObject obj:
                return new JValue(obj.Property(WdlValue.ToText(value), StringComparison.OrdinalIgnoreCase) is not null);
            default:
                throw c.TypeError(0, "a string, an array or an object");
        }
    }

    private static JToken Empty(in FunctionCall c) => c[0] switch
    {
        var v when WdlValue.IsNull(v) => new JValue(true),
        JValue { Type: JTokenType.String } s => new JValue(((string)s.Value!).Length == 0),
        JArray array => new JValue(array.Count == 0),
        JObject obj => new JValue(obj.Count == 0),
        _ => throw c.TypeError(0, "a string, an array or an object"),
    };

    private static JToken Edge(in FunctionCall c, bool first)
    {
        switch (c[0])
        {
            case JValue { Type: JTokenType.String } s:
            {
                var text = (string)s.Value!;
                if (text.Length == 0) return WdlValue.Null();
                return new JValue((first ? text[0] : text[^1]).ToString());
            }
            case JArray array:
                if (array.Count == 0) return WdlValue.Null();
                return first ? array[0]! : array[array.Count - 1]!;
            default:
                throw c.TypeError(0, "an array or a string");
        }
    }

    private static JToken Intersection(in FunctionCall c)
    {
        if (c[0] is JObject)
        {
            var objects = Objects(c);
            var result = new JObject();
            foreach (var property in objects[0].Properties())
            {
                JToken? value = property.Value;
                var inAll = true;
                for (var i = 1; i < objects.Length; i++)
                {
                    var other = objects[i].Property(property.Name, StringComparison.Ordinal);
                    if (other is null) { inAll = false; break; }
                    value = other.Value;
                }
                if (inAll) result[property.Name] = value.DeepClone();
            }
            return result;
        }
        var arrays = Arrays(c);
        var output = new JArray();
        var seen = new HashSet<JToken>(WdlValue.Comparer);
        var others = arrays.Skip(1).Select(a => new HashSet<JToken>(a, WdlValue.Comparer)).ToArray();
        foreach (var item in arrays[0])
        {
            if (!seen.Add(item)) continue;
            if (others.All(set => set.Contains(item))) output.Add(item);
        }
        return output;
    }

    private static JToken Union(in FunctionCall c)
    {
        if (c[0] is JObject)
        {
            var result = new JObject();
            foreach (var obj in Objects(c))
                foreach (var property in obj.Properties())
                    result[property.Name] = property.Value.DeepClone();
            return result;
        }
        var output = new JArray();
        var seen = new HashSet<JToken>(WdlValue.Comparer);
        foreach (var array in Arrays(c))
            foreach (var item in array)
                if (seen.Add(item)) output.Add(item);
        return output;
    }

    private static JObject[] Objects(in FunctionCall c)
    {
        var result = new JObject[c.Count];
        for (var i = 0; i < c.Count; i++)
            result[i] = c[i] as JObject ?? throw c.Fail("expects parameters of the same type: all arrays or all objects.");
        return result;
    }

    private static JArray[] Arrays(in FunctionCall c)
    {
        var result = new JArray[c.Count];
        for (var i = 0; i < c.Count; i++)
        {
            if (c[i] is JArray array) result[i] = array;
            else if (c[i] is JObject) throw c.Fail("expects parameters of the same type: all arrays or all objects.");
            else throw c.TypeError(i, "an array or an object");
        }
        return result;
    }

    private static JToken Join(in FunctionCall c)
    {
        var array = c.Array(0);
        var delimiter = c.Text(1);
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < array.Count; i++)
        {
            if (i > 0) builder.Append(delimiter);
            builder.Append(WdlValue.ToText(array[i]));
            if (builder.Length > StringFunctions.MaximumResultLength) throw StringFunctions.ResultTooLong(c);
        }
        return new JValue(builder.ToString());
    }

    private static JToken Reverse(in FunctionCall c)
    {
        var array = c.Array(0);
        var result = new JArray();
        for (var i = array.Count - 1; i >= 0; i--) result.Add(array[i]);
        return result;
    }

    private static JToken Skip(in FunctionCall c)
    {
        var array = c.Array(0);
        var count = c.Integer(1);
        if (count < 0) throw c.Fail("expects its second parameter, the count, to be a non-negative integer.");
        var result = new JArray();
        for (var i = (int)Math.Min(count, array.Count); i < array.Count; i++) result.Add(array[i]);
        return result;
    }

    private static JToken Take(in FunctionCall c)
    {
        var count = c.Integer(1);
        if (count < 0) throw c.Fail("expects its second parameter, the count, to be a non-negative integer.");
        switch (c[0])
        {
            case JValue { Type: JTokenType.String } s:
            {
                var text = (string)s.Value!;
                return new JValue(text[..(int)Math.Min(count, text.Length)]);
            }
            case JArray array:
            {
                var result = new JArray();
                for (var i = 0; i < Math.Min(count, array.Count); i++) result.Add(array[i]);
                return result;
            }
            default:
                throw c.TypeError(0, "an array or a string");
        }
    }

    private static JToken Sort(in FunctionCall c)
    {
        var array = c.Array(0);
        var sortBy = c.OptionalText(1);
        var keys = new JToken[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            if (sortBy is not null)
            {
                if (item is not JObject obj) throw c.Fail($"expects an array of objects when a sort key is given; item {i} is of type '{WdlValue.TypeName(item)}'.");
                keys[i] = obj.GetValue(sortBy, StringComparison.OrdinalIgnoreCase) ?? WdlValue.Null();
            }
            else
            {
                keys[i] = item;
            }
        }
        var kind = SortKind(keys, c);
        var order = Enumerable.Range(0, array.Count).ToArray();
        var comparer = Comparer<int>.Create((x, y) =>
        {
            var result = kind switch
            {
                JTokenType.String => string.Compare(WdlValue.ToText(keys[x]), WdlValue.ToText(keys[y]), StringComparison.Ordinal),
                JTokenType.Boolean => ((bool)((JValue)keys[x]).Value!).CompareTo((bool)((JValue)keys[y]).Value!),
                _ => Comparison.CompareNumbers(keys[x], keys[y]),
            };
            return result != 0 ? result : x.CompareTo(y); // stable
        });
        Array.Sort(order, comparer);
        var sorted = new JArray();
        foreach (var index in order) sorted.Add(array[index]);
        return sorted;
    }

    private static JTokenType SortKind(JToken[] keys, in FunctionCall c)
    {
        JTokenType? kind = null;
        foreach (var key in keys)
        {
            var k = key.Type switch
            {
                JTokenType.Integer or JTokenType.Float => JTokenType.Float,
                JTokenType.String => JTokenType.String,
                JTokenType.Boolean => JTokenType.Boolean,
                _ => throw c.Fail($"can only sort numbers, strings or booleans; found a value of type '{WdlValue.TypeName(key)}'."),
            };
            if (kind is not null && kind != k) throw c.Fail("can only sort values of one type; the array mixes types.");
            kind = k;
        }
        return kind ?? JTokenType.Float;
    }
}
