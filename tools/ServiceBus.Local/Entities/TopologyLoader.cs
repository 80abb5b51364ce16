using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ServiceBus.Local.Filters;

namespace ServiceBus.Local.Entities;

/// <summary>
/// Reads the Service Bus emulator's Config.json shape (Azure/azure-service-bus-emulator-installer ServiceBus-Emulator/Config/Config.json) into a <see cref="Topology"/>. Every
/// problem is collected with its JSON path and reported together; nothing half-loaded is returned.
/// </summary>
public static class TopologyLoader
{
    // Azure properties that do not change local behaviour: accepted so one file serves infrastructure and the
    // local runtime, and listed by ValidateAgainstEmulatorLimits.
    private static readonly HashSet<string> IgnoredAzureProperties = new(StringComparer.Ordinal)
    {
        "EnablePartitioning", "EnableBatchedOperations", "AutoDeleteOnIdle", "Status",
        "UserMetadata", "SupportOrdering", "EnableExpress",
    };

    public static Topology LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TopologyException([new TopologyError(path, $"cannot read the topology file: {ex.Message}")]);
        }
        return Parse(text);
    }

    public static Topology Parse(string json)
    {
        var errors = new List<TopologyError>();
        JToken root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            root = JToken.ReadFrom(reader);
        }
        catch (JsonException ex)
        {
            throw new TopologyException([new TopologyError("$", $"not valid JSON: {ex.Message}")]);
        }

        var topology = new Topology();
        var namespaces = root.SelectToken("UserConfig.Namespaces") as JArray;
        if (namespaces is null)
        {
            throw new TopologyException([new TopologyError("UserConfig.Namespaces", "missing: expected an array with one namespace")]);
        }
        if (namespaces.Count != 1)
        {
            throw new TopologyException([new TopologyError("UserConfig.Namespaces", $"expected exactly one namespace, found {namespaces.Count}")]);
        }

        var ns = namespaces[0] as JObject;
        if (ns is null) throw new TopologyException([new TopologyError("UserConfig.Namespaces[0]", "expected an object")]);
        topology.NamespaceName = ns.Value<string>("Name") ?? "";
        var ctx = new Context(errors, topology);

        foreach (var (item, path) in ctx.Array(ns, "Queues", "UserConfig.Namespaces[0]"))
        {
            var name = ctx.Name(item, path);
            var queue = topology.AddQueue(name);
            var p = queue.Properties;
            ctx.Properties(item, path, (key, value, propPath) => key switch
            {
                "LockDuration" => ctx.Duration(value, propPath, d => p.LockDuration = d),
                "MaxDeliveryCount" => ctx.Int(value, propPath, n => p.MaxDeliveryCount = n),
                "DefaultMessageTimeToLive" => ctx.Duration(value, propPath, d => p.DefaultMessageTimeToLive = d),
                "DeadLetteringOnMessageExpiration" => ctx.Bool(value, propPath, b => p.DeadLetteringOnMessageExpiration = b),
                "RequiresSession" => ctx.Bool(value, propPath, b => p.RequiresSession = b),
                "RequiresDuplicateDetection" => ctx.Bool(value, propPath, b => p.RequiresDuplicateDetection = b),
                "DuplicateDetectionHistoryTimeWindow" => ctx.Duration(value, propPath, d => p.DuplicateDetectionHistoryTimeWindow = d),
                "ForwardTo" => ctx.String(value, propPath, s => p.ForwardTo = s),
                "ForwardDeadLetteredMessagesTo" => ctx.String(value, propPath, s => p.ForwardDeadLetteredMessagesTo = s),
                "MaxMessageSizeInKilobytes" => ctx.Int(value, propPath, n => p.MaxMessageSizeInKilobytes = n),
                "MaxSizeInMegabytes" => ctx.Int(value, propPath, n => p.MaxSizeInMegabytes = n),
                _ => false,
            });
        }

        foreach (var (item, path) in ctx.Array(ns, "Topics", "UserConfig.Namespaces[0]"))
        {
            var topic = topology.AddTopic(ctx.Name(item, path));
            var tp = topic.Properties;
            ctx.Properties(item, path, (key, value, propPath) => key switch
            {
                "DefaultMessageTimeToLive" => ctx.Duration(value, propPath, d => tp.DefaultMessageTimeToLive = d),
                "RequiresDuplicateDetection" => ctx.Bool(value, propPath, b => tp.RequiresDuplicateDetection = b),
                "DuplicateDetectionHistoryTimeWindow" => ctx.Duration(value, propPath, d => tp.DuplicateDetectionHistoryTimeWindow = d),
                "MaxMessageSizeInKilobytes" => ctx.Int(value, propPath, n => tp.MaxMessageSizeInKilobytes = n),
                "MaxSizeInMegabytes" => ctx.Int(value, propPath, n => tp.MaxSizeInMegabytes = n),
                _ => false,
            });

            foreach (var (subItem, subPath) in ctx.Array(item, "Subscriptions", path))
            {
                var subscription = topic.AddSubscription(ctx.Name(subItem, subPath));
                var sp = subscription.Properties;
                ctx.Properties(subItem, subPath, (key, value, propPath) => key switch
                {
                    "LockDuration" => ctx.Duration(value, propPath, d => sp.LockDuration = d),
                    "MaxDeliveryCount" => ctx.Int(value, propPath, n => sp.MaxDeliveryCount = n),
                    "DefaultMessageTimeToLive" => ctx.Duration(value, propPath, d => sp.DefaultMessageTimeToLive = d),
                    "DeadLetteringOnMessageExpiration" => ctx.Bool(value, propPath, b => sp.DeadLetteringOnMessageExpiration = b),
                    "DeadLetteringOnFilterEvaluationExceptions" => ctx.Bool(value, propPath, b => sp.DeadLetteringOnFilterEvaluationExceptions = b),
                    "RequiresSession" => ctx.Bool(value, propPath, b => sp.RequiresSession = b),
                    "ForwardTo" => ctx.String(value, propPath, s => sp.ForwardTo = s),
                    "ForwardDeadLetteredMessagesTo" => ctx.String(value, propPath, s => sp.ForwardDeadLetteredMessagesTo = s),
                    _ => false,
                });

                if (subItem["Rules"] is not null)
                {
                    foreach (var (ruleItem, rulePath) in ctx.Array(subItem, "Rules", subPath))
                    {
                        subscription.Rules.Add(ReadRule(ctx, ruleItem, rulePath));
                    }
                }
            }
        }

        errors.AddRange(TopologyValidator.Validate(topology, "UserConfig.Namespaces[0]."));
        if (errors.Count > 0) throw new TopologyException(errors);
        return topology;
    }

    private static RuleDefinition ReadRule(Context ctx, JObject item, string path)
    {
        var name = ctx.Name(item, path);
        if (item["Properties"] is not JObject props)
        {
            ctx.Error(path + ".Properties", "missing: a rule needs Properties.FilterType");
            return new RuleDefinition(name, FalseRuleFilter.Instance);
        }
        var propsPath = path + ".Properties";
        var filterType = props.Value<string>("FilterType");
        RuleFilter? filter = null;
        switch (filterType)
        {
            case "Sql":
                var expression = props.SelectToken("SqlFilter.SqlExpression")?.Value<string>();
                if (string.IsNullOrWhiteSpace(expression))
                {
                    ctx.Error(propsPath + ".SqlFilter.SqlExpression", "missing: a Sql rule needs SqlFilter.SqlExpression");
                    break;
                }
                try
                {
                    filter = new SqlRuleFilter(expression);
                }
                catch (FilterException ex)
                {
                    ctx.Error(propsPath + ".SqlFilter.SqlExpression", ex.Message);
                }
                break;
            case "Correlation":
                filter = ReadCorrelation(ctx, props["CorrelationFilter"] as JObject, propsPath + ".CorrelationFilter");
                break;
            default:
                ctx.Error(propsPath + ".FilterType", $"'{filterType}' is not a filter type; use 'Sql' or 'Correlation'");
                break;
        }

        foreach (var property in props.Properties())
        {
            if (property.Name is not ("FilterType" or "SqlFilter" or "CorrelationFilter" or "Action"))
                ctx.Error($"{propsPath}.{property.Name}", "unknown rule property");
        }

        SqlRuleAction? action = null;
        var actionText = props.SelectToken("Action.SqlExpression")?.Value<string>();
        if (props["Action"] is not null && string.IsNullOrWhiteSpace(actionText))
        {
            ctx.Error(propsPath + ".Action.SqlExpression", "missing: an Action needs SqlExpression");
        }
        else if (!string.IsNullOrWhiteSpace(actionText))
        {
            try
            {
                action = new SqlRuleAction(actionText);
            }
            catch (FilterException ex)
            {
                ctx.Error(propsPath + ".Action.SqlExpression", ex.Message);
            }
        }
        // A rule whose filter failed still takes its place, so later errors name the right index; the loader
        // throws before such a topology is ever used.
        return new RuleDefinition(name, filter ?? FalseRuleFilter.Instance, action);
    }

    private static CorrelationRuleFilter? ReadCorrelation(Context ctx, JObject? item, string path)
    {
        if (item is null)
        {
            ctx.Error(path, "missing: a Correlation rule needs CorrelationFilter");
            return null;
        }
        var filter = new CorrelationRuleFilter();
        foreach (var property in item.Properties())
        {
            var propPath = $"{path}.{property.Name}";
            if (property.Name == "Properties")
            {
                if (property.Value is not JObject userProps)
                {
                    ctx.Error(propPath, "expected an object of user property values");
                    continue;
                }
                foreach (var userProp in userProps.Properties())
                {
                    try
                    {
                        filter.ApplicationProperties[userProp.Name] = FilterCaseEvaluator.FromJson(userProp.Value);
                    }
                    catch (FilterException ex)
                    {
                        ctx.Error($"{propPath}.{userProp.Name}", ex.Message);
                    }
                }
                continue;
            }
            var text = property.Value.Type == JTokenType.String ? property.Value.Value<string>() : null;
            if (text is null && property.Value.Type != JTokenType.Null)
            {
                ctx.Error(propPath, "expected a string");
                continue;
            }
            switch (property.Name)
            {
                case "ContentType": filter.ContentType = text; break;
                case "CorrelationId": filter.CorrelationId = text; break;
                case "Label": filter.Subject = text; break;
                case "MessageId": filter.MessageId = text; break;
                case "ReplyTo": filter.ReplyTo = text; break;
                case "ReplyToSessionId": filter.ReplyToSessionId = text; break;
                case "SessionId": filter.SessionId = text; break;
                case "To": filter.To = text; break;
                default: ctx.Error(propPath, "unknown correlation filter property (known: ContentType, CorrelationId, Label, MessageId, ReplyTo, ReplyToSessionId, SessionId, To, Properties)"); break;
            }
        }
        if (filter.IsEmpty) ctx.Error(path, "a correlation filter needs at least one property to match");
        return filter;
    }

    private sealed class Context(List<TopologyError> errors, Topology topology)
    {
        public void Error(string path, string message) => errors.Add(new TopologyError(path, message));

        public IEnumerable<(JObject Item, string Path)> Array(JToken parent, string property, string parentPath)
        {
            var token = parent[property];
            if (token is not JArray array)
            {
                Error($"{parentPath}.{property}", token is null ? "missing: expected an array" : "expected an array");
                yield break;
            }
            for (var i = 0; i < array.Count; i++)
            {
                var path = $"{parentPath}.{property}[{i}]";
                if (array[i] is JObject item) yield return (item, path);
                else Error(path, "expected an object");
            }
        }

        public string Name(JObject item, string path)
        {
            var name = item["Name"];
            if (name?.Type == JTokenType.String) return name.Value<string>()!;
            Error(path + ".Name", "missing: every entity and rule needs a Name");
            return "";
        }

        public void Properties(JObject item, string path, Func<string, JToken, string, bool> apply)
        {
            if (item["Properties"] is null) return;
            if (item["Properties"] is not JObject props)
            {
                Error(path + ".Properties", "expected an object");
                return;
            }
            foreach (var property in props.Properties())
            {
                var propPath = $"{path}.Properties.{property.Name}";
                if (apply(property.Name, property.Value, propPath)) continue;
                if (IgnoredAzureProperties.Contains(property.Name)) topology.IgnoredProperties.Add((path, property.Name));
                else Error(propPath, "unknown property");
            }
        }

        public bool Duration(JToken value, string path, Action<TimeSpan> set)
        {
            if (value.Type == JTokenType.String && IsoDuration.TryParse(value.Value<string>(), out var d)) set(d);
            else Error(path, $"'{value}' is not an ISO 8601 duration (e.g. PT1M, P14D)");
            return true;
        }

        public bool Int(JToken value, string path, Action<int> set)
        {
            if (value.Type == JTokenType.Integer && value.Value<long>() is var n && n is >= int.MinValue and <= int.MaxValue) set((int)n);
            else Error(path, $"'{value}' is not a whole number");
            return true;
        }

        public bool Bool(JToken value, string path, Action<bool> set)
        {
            if (value.Type == JTokenType.Boolean) set(value.Value<bool>());
            else Error(path, $"'{value}' is not true or false");
            return true;
        }

        public bool String(JToken value, string path, Action<string?> set)
        {
            if (value.Type == JTokenType.String) set(string.IsNullOrWhiteSpace(value.Value<string>()) ? null : value.Value<string>());
            else if (value.Type == JTokenType.Null) set(null);
            else Error(path, $"'{value}' is not a string");
            return true;
        }
    }
}
