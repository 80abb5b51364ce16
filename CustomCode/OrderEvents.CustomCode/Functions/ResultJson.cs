using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace OrderEvents.CustomCode.Functions;

/// <summary>
/// Turns a function's result into the JSON the action's <c>body</c> holds, the same tokens as
/// <c>JToken.FromObject(result, FunctionCatalog.ResultSerializer)</c> without running the serializer on every call.
/// <para>Why: the serializer walked each result through a <c>JTokenWriter</c>, checking converters, reference loops and
/// contracts per value; on a simulated day that was 3.7 % of the whole process's CPU. Here each type's plan is built
/// once from the serializer's own contract (its camelCase names, ignored properties, order and value getters), so the
/// names and shapes cannot drift from it. A type, property or value this writer does not reproduce exactly (a
/// converter, a conditional property, a callback, a primitive it does not know) goes through the serializer as before:
/// the writer is exact or it steps aside. Enum values are written once each by the serializer's converter and copied.</para>
/// </summary>
public static class ResultJson
{
    private static readonly ConcurrentDictionary<Type, Plan> Plans = new();

    /// <summary>The JSON of <paramref name="value"/> as <paramref name="serializer"/> writes it (a JSON null for null).</summary>
    public static JToken ToJToken(object? value, JsonSerializer serializer) =>
        value is null ? JValue.CreateNull() : Write(value, serializer);

    /// <summary>Whether values of <paramref name="type"/> are written without the serializer (for the catalog's specs).</summary>
    public static bool IsWrittenDirectly(Type type, JsonSerializer serializer) => PlanOf(type, serializer) is not FallbackPlan;

    private static JToken Write(object value, JsonSerializer serializer) => PlanOf(value.GetType(), serializer).Write(value, serializer);

    private static Plan PlanOf(Type type, JsonSerializer serializer)
    {
        // The plans follow the one serializer they were made from (FunctionCatalog.ResultSerializer); another gets no cache.
        if (!ReferenceEquals(serializer, FunctionCatalog.ResultSerializer)) return CreatePlan(type, serializer);
        return Plans.GetOrAdd(type, static t => CreatePlan(t, FunctionCatalog.ResultSerializer));
    }

    private static Plan CreatePlan(Type type, JsonSerializer serializer)
    {
        if (typeof(JToken).IsAssignableFrom(type)) return TokenPlan.Instance;
        if (type.IsEnum) return new EnumPlan();
        if (PrimitivePlan.Handles(type)) return PrimitivePlan.Instance;
        var contract = serializer.ContractResolver.ResolveContract(type);
        if (contract.Converter is not null || HasConverter(serializer, type) || HasCallbacks(contract)) return FallbackPlan.Instance;
        switch (contract)
        {
            case JsonDictionaryContract dictionary when dictionary.ItemConverter is null && dictionary.ItemIsReference is null
                                                        && dictionary.ItemTypeNameHandling is null
                                                        && typeof(IDictionary).IsAssignableFrom(type) && dictionary.DictionaryKeyType == typeof(string):
                return new DictionaryPlan(dictionary.DictionaryKeyResolver);
            case JsonArrayContract array when array.ItemConverter is null && array.ItemIsReference is null && array.ItemTypeNameHandling is null
                                              && !array.IsMultidimensionalArray && typeof(IEnumerable).IsAssignableFrom(type):
                return ArrayPlan.Instance;
            case JsonObjectContract obj when obj.ExtensionDataGetter is null && obj.ItemConverter is null && obj.IsReference is null
                                             && obj.MemberSerialization != MemberSerialization.Fields:
                var properties = new List<JsonProperty>();
                foreach (var property in obj.Properties)
                {
                    if (property.Ignored || !property.Readable) continue;
                    if (!IsPlain(property)) return FallbackPlan.Instance;
                    properties.Add(property);
                }
                // Getters are compiled only for the plans kept (the catalog's serializer): another serializer's plan is made per call.
                return new ObjectPlan(type, properties.ToArray(), compile: ReferenceEquals(serializer, FunctionCatalog.ResultSerializer));
            default:
                return FallbackPlan.Instance;
        }
    }

    /// <summary>A property the serializer writes as its name and its value's own JSON, whatever the value.</summary>
    private static bool IsPlain(JsonProperty property) =>
        property.Converter is null && property.ItemConverter is null && property.ShouldSerialize is null && property.GetIsSpecified is null
        && property.NullValueHandling is null && property.DefaultValueHandling is null && property.ReferenceLoopHandling is null
        && property.TypeNameHandling is null && property.IsReference is null && property.ItemIsReference is null
        && property.ItemTypeNameHandling is null && property.ItemReferenceLoopHandling is null && property.PropertyName is not null
        && property.ValueProvider is not null;

    private static bool HasConverter(JsonSerializer serializer, Type type)
    {
        foreach (var converter in serializer.Converters)
        {
            if (converter.CanWrite && converter.CanConvert(type)) return true;
        }
        return false;
    }

    private static bool HasCallbacks(JsonContract contract) =>
        contract.OnSerializingCallbacks.Count > 0 || contract.OnSerializedCallbacks.Count > 0 || contract.OnErrorCallbacks.Count > 0;

    private abstract class Plan
    {
        public abstract JToken Write(object value, JsonSerializer serializer);
    }

    private sealed class FallbackPlan : Plan
    {
        public static readonly FallbackPlan Instance = new();
        public override JToken Write(object value, JsonSerializer serializer) => JToken.FromObject(value, serializer);
    }

    /// <summary>A JSON value the result holds: one that belongs to another tree (the function's inputs, which are its
    /// action's recorded inputs) is copied, as the serializer copies it; one that belongs to nothing was made for the
    /// result (a warehouse request body, a record read from storage) and is taken as it is, as a container takes it. A
    /// function no more changes what it returned than it changes its inputs (docs/custom-code.md, "The function boundary").</summary>
    private sealed class TokenPlan : Plan
    {
        public static readonly TokenPlan Instance = new();
        public override JToken Write(object value, JsonSerializer serializer) => value is JToken { Parent: null } made ? made : ((JToken)value).DeepClone();
    }

    /// <summary>The primitives whose JSON is a <see cref="JValue"/> of the value itself (what <c>JTokenWriter</c> makes of them).</summary>
    private sealed class PrimitivePlan : Plan
    {
        public static readonly PrimitivePlan Instance = new();

        public static bool Handles(Type type) =>
            type == typeof(string) || type == typeof(bool) || type == typeof(int) || type == typeof(long) || type == typeof(decimal)
            || type == typeof(double) || type == typeof(DateTimeOffset) || type == typeof(Guid);

        public override JToken Write(object value, JsonSerializer serializer) => new JValue(value);
    }

    /// <summary>An enum value as the serializer's converter writes it (its name), written once per value and copied.</summary>
    private sealed class EnumPlan : Plan
    {
        private readonly ConcurrentDictionary<object, JToken> written = new();

        public override JToken Write(object value, JsonSerializer serializer) =>
            written.GetOrAdd(value, v => JToken.FromObject(v, serializer)).DeepClone();
    }

    private sealed class ArrayPlan : Plan
    {
        public static readonly ArrayPlan Instance = new();

        public override JToken Write(object value, JsonSerializer serializer)
        {
            var array = new JArray();
            foreach (var item in (IEnumerable)value) array.Add(item is null ? JValue.CreateNull() : ResultJson.Write(item, serializer));
            return array;
        }
    }

    /// <summary>String-keyed dictionaries, keys through the contract's key resolver (the result serializer leaves them as they are).</summary>
    private sealed class DictionaryPlan(Func<string, string>? keyResolver) : Plan
    {
        public override JToken Write(object value, JsonSerializer serializer)
        {
            var json = new JObject();
            foreach (DictionaryEntry entry in (IDictionary)value)
            {
                var key = (string)entry.Key;
                json[keyResolver is null ? key : keyResolver(key)] = entry.Value is null ? JValue.CreateNull() : ResultJson.Write(entry.Value, serializer);
            }
            return json;
        }
    }

    private sealed class ObjectPlan : Plan
    {
        private static readonly ConstructorInfo JValueOfObject = typeof(JValue).GetConstructor([typeof(object)])!;
        private static readonly MethodInfo CreateNull = typeof(JValue).GetMethod(nameof(JValue.CreateNull), BindingFlags.Public | BindingFlags.Static)!;

        private readonly JsonProperty[] properties;
        private readonly string[] names;

        /// <summary>Per property, made once for the catalog's serializer: its JSON written straight from the typed getter
        /// when its declared type is a primitive <see cref="PrimitivePlan"/> writes (the same <c>new JValue(object)</c> of the
        /// same value, or a JSON null), else null. Neither the contract's value provider (a delegate returning the value
        /// boxed, in a try/catch) nor the value's runtime type and plan are looked at for them.</summary>
        private readonly Func<object, JToken>?[] primitives;

        /// <summary>Per property, its value read by a delegate compiled over the property's getter (null: the contract's
        /// value provider reads it).</summary>
        private readonly Func<object, object?>?[] getters;

        // Each property's last value type and its plan: a property nearly always holds one type, and the plans' cache
        // (a concurrent dictionary) was a look-up per value. Read and written as one object, so threads never mix halves.
        private readonly MemberPlan?[] memberPlans;

        public ObjectPlan(Type type, JsonProperty[] properties, bool compile)
        {
            this.properties = properties;
            names = properties.Select(p => p.PropertyName!).ToArray();
            primitives = new Func<object, JToken>?[properties.Length];
            getters = new Func<object, object?>?[properties.Length];
            memberPlans = new MemberPlan?[properties.Length];
            if (!compile) return;
            for (var i = 0; i < properties.Length; i++)
            {
                if (Getter(type, properties[i]) is not { } getter) continue;
                var instance = Expression.Parameter(typeof(object), "value");
                var read = Expression.Property(Expression.Convert(instance, getter.DeclaringType!), getter);
                if (PrimitiveWriter(read) is { } write)
                {
                    primitives[i] = Expression.Lambda<Func<object, JToken>>(write, instance).Compile();
                }
                else
                {
                    getters[i] = Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), instance).Compile();
                }
            }
        }

        /// <summary>The public instance property the contract's value provider reads, when it is found without doubt
        /// (one property of that name, readable, of the contract's type); null leaves the value provider in charge.</summary>
        private static PropertyInfo? Getter(Type type, JsonProperty property)
        {
            if (property.UnderlyingName is not { } name || property.PropertyType is null) return null;
            var candidates = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name == name).ToArray();
            return candidates is [{ CanRead: true, GetMethod.IsPublic: true } only] && only.GetIndexParameters().Length == 0
                   && only.PropertyType == property.PropertyType && !only.PropertyType.IsByRef
                ? only
                : null;
        }

        /// <summary>The JSON of a value of a primitive type as <see cref="PrimitivePlan"/> writes it (null for any other type).</summary>
        private static Expression? PrimitiveWriter(Expression read)
        {
            var type = read.Type;
            var underlying = Nullable.GetUnderlyingType(type);
            if (!PrimitivePlan.Handles(underlying ?? type)) return null;
            var value = Expression.Variable(type, "member");
            var nullJson = Expression.Call(CreateNull);
            Expression written = underlying is not null
                ? Expression.Condition(Expression.Property(value, "HasValue"),
                    Expression.Convert(Expression.New(JValueOfObject, Expression.Convert(Expression.Property(value, "Value"), typeof(object))), typeof(JToken)),
                    Expression.Convert(nullJson, typeof(JToken)))
                : type.IsValueType
                    ? Expression.Convert(Expression.New(JValueOfObject, Expression.Convert(value, typeof(object))), typeof(JToken))
                    : Expression.Condition(Expression.Equal(value, Expression.Constant(null, type)),
                        Expression.Convert(nullJson, typeof(JToken)),
                        Expression.Convert(Expression.New(JValueOfObject, Expression.Convert(value, typeof(object))), typeof(JToken)));
            return Expression.Block(typeof(JToken), [value], Expression.Assign(value, read), written);
        }

        public override JToken Write(object value, JsonSerializer serializer)
        {
            var json = new JObject();
            for (var i = 0; i < properties.Length; i++)
            {
                JToken written;
                if (primitives[i] is { } primitive)
                {
                    written = primitive(value);
                }
                else
                {
                    var member = getters[i] is { } getter ? getter(value) : properties[i].ValueProvider!.GetValue(value);
                    written = member is null ? JValue.CreateNull() : WriteMember(i, member, serializer);
                }
                json.Add(new JProperty(names[i], written));
            }
            return json;
        }

        private JToken WriteMember(int index, object member, JsonSerializer serializer)
        {
            var type = member.GetType();
            if (memberPlans[index] is not { } known || known.Type != type)
            {
                known = new MemberPlan(type, PlanOf(type, serializer));
                // Only plans of the catalog's serializer are kept (PlanOf caches nothing for another one).
                if (ReferenceEquals(serializer, FunctionCatalog.ResultSerializer)) memberPlans[index] = known;
            }
            return known.Plan.Write(member, serializer);
        }

        private sealed record MemberPlan(Type Type, Plan Plan);
    }
}
