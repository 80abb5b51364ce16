using System.Xml;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.Definitions;

/// <summary>
/// Reads a workflow.json into a <see cref="WorkflowDefinition"/>, checking what Logic Apps checks when a
/// workflow is saved: known action types, runAfter naming siblings, no cycles, valid expressions, and the
/// documented limits (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config). Every problem is collected; nothing is executed.
/// </summary>
internal sealed class DefinitionReader
{
    public const int MaxActions = 500;
    public const int MaxNestingDepth = 8;
    public const int MaxSwitchCases = 25;
    public const int MaxVariables = 250;
    public const int MaxUntilCount = 5000;
    public const int MaxExpressionLength = 8192;
    public const int MaxForeachConcurrency = 50;
    public const int MaxTriggerConcurrency = 100;

    private static readonly Dictionary<string, ActionKind> ActionTypes =
        Enum.GetValues<ActionKind>().ToDictionary(k => k.ToString(), k => k, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, StatusMask> RunAfterStatuses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Succeeded"] = StatusMask.Succeeded,
        ["Failed"] = StatusMask.Failed,
        ["Skipped"] = StatusMask.Skipped,
        ["TimedOut"] = StatusMask.TimedOut,
    };

    private readonly string workflowName;
    private readonly List<string> errors;
    private WorkflowDefinition workflow = null!;
    private int variableCount;

    private DefinitionReader(string workflowName, List<string> errors)
    {
        this.workflowName = workflowName;
        this.errors = errors;
    }

    public static WorkflowDefinition? Read(string name, JObject json, string? folder, List<string> errors)
    {
        var before = errors.Count;
        var reader = new DefinitionReader(name, errors);
        var result = reader.ReadWorkflow(json, folder);
        return errors.Count == before ? result : null;
    }

    private WorkflowDefinition ReadWorkflow(JObject json, string? folder)
    {
        var kind = json.Value<string>("kind") ?? "Stateful";
        workflow = new WorkflowDefinition(workflowName, kind, folder, json);
        if (json["definition"] is not JObject definition)
        {
            Error("the file has no 'definition' object.");
            workflow.Root = new ActionContainer(null, "actions");
            return workflow;
        }

        if (definition["parameters"] is JObject parameters)
        {
            foreach (var parameter in parameters.Properties())
            {
                if (parameter.Value is JObject declared && declared.TryGetValue("defaultValue", out var defaultValue))
                    workflow.ParameterDefaults[parameter.Name] = defaultValue;
            }
        }

        ReadTrigger(definition["triggers"]);
        workflow.Root = ReadContainer(definition["actions"], null, "actions", 1, 0, "definition.actions");
        if (workflow.AllActions.Count > MaxActions)
            Error($"it has {workflow.AllActions.Count} actions; a workflow can have at most {MaxActions}.");
        if (variableCount > MaxVariables)
            Error($"it initializes {variableCount} variables; a workflow can have at most {MaxVariables}.");
        return workflow;
    }

    private void ReadTrigger(JToken? token)
    {
        var triggers = token as JObject;
        if (triggers is null || triggers.Count != 1)
        {
            Error($"a Standard workflow has exactly one trigger, this one has {triggers?.Count ?? 0}.");
            workflow.Trigger = new TriggerDefinition("manual", "Request", TriggerKind.Request, new JObject());
            return;
        }
        var property = triggers.Properties().First();
        var json = property.Value as JObject ?? new JObject();
        var name = property.Name;
        var type = json.Value<string>("type") ?? "";
        var where = $"trigger '{name}'";
        TriggerKind kind;
        if (type.Equals("Request", StringComparison.OrdinalIgnoreCase)) kind = TriggerKind.Request;
        else if (type.Equals("ServiceProvider", StringComparison.OrdinalIgnoreCase)) kind = TriggerKind.ServiceProvider;
        else if (type.Equals("Recurrence", StringComparison.OrdinalIgnoreCase)) kind = TriggerKind.Recurrence;
        else if (type.Equals("OpenApiConnectionWebhook", StringComparison.OrdinalIgnoreCase)) kind = TriggerKind.OpenApiConnectionWebhook;
        else
        {
            Error($"{where} has type '{type}', which this runtime does not support (supported: Request, ServiceProvider, Recurrence, OpenApiConnectionWebhook).");
            kind = TriggerKind.Request;
        }

        var trigger = new TriggerDefinition(name, type, kind, json)
        {
            Inputs = Compile(json["inputs"], where),
            OperationOptions = ReadOperationOptions(json),
        };
        if (json["splitOn"] is JValue splitOn) trigger.SplitOn = Compile(splitOn, where + " splitOn");
        if (json.SelectToken("correlation.clientTrackingId") is { } tracking) trigger.ClientTrackingId = Compile(tracking, where + " correlation");
        if (json["conditions"] is JArray conditions)
        {
            foreach (var condition in conditions)
                trigger.Conditions.Add(Compile(condition["expression"], where + " conditions"));
        }
        ReadSecureData(json, where, out var secureInputs, out var secureOutputs);
        trigger.SecureInputs = secureInputs;
        trigger.SecureOutputs = secureOutputs;

        if (json.SelectToken("runtimeConfiguration.concurrency.runs") is { } runs)
        {
            if (runs.Type != JTokenType.Integer || (int)runs < 1 || (int)runs > MaxTriggerConcurrency)
                Error($"{where}: runtimeConfiguration.concurrency.runs must be a whole number from 1 to {MaxTriggerConcurrency}.");
            else trigger.ConcurrentRuns = (int)runs;
        }
        if (trigger.OperationOptions.Contains("SingleInstance")) trigger.ConcurrentRuns = 1;

        switch (kind)
        {
            case TriggerKind.Request:
                trigger.Schema = json.SelectToken("inputs.schema") as JObject;
                break;
            case TriggerKind.Recurrence:
                trigger.Recurrence = ReadRecurrence(json["recurrence"] as JObject, where);
                break;
            case TriggerKind.ServiceProvider:
                RequireServiceProviderConfiguration(json, where);
                break;
            case TriggerKind.OpenApiConnectionWebhook:
                RequireOpenApiHost(json, where);
                break;
        }
        workflow.Trigger = trigger;
    }

    private RecurrenceSchedule? ReadRecurrence(JObject? recurrence, string where)
    {
        if (recurrence is null)
        {
            Error($"{where} has no 'recurrence' object.");
            return null;
        }
        var frequency = recurrence.Value<string>("frequency") ?? "";
        string[] known = ["Second", "Minute", "Hour", "Day", "Week", "Month"];
        var match = known.FirstOrDefault(k => k.Equals(frequency, StringComparison.OrdinalIgnoreCase));
        if (match is null) Error($"{where}: recurrence frequency '{frequency}' is not one of {string.Join(", ", known)}.");
        var interval = recurrence["interval"]?.Type == JTokenType.Integer ? (int)recurrence["interval"]! : 0;
        if (interval < 1) Error($"{where}: recurrence interval must be a whole number of at least 1.");
        DateTimeOffset? start = null;
        if (recurrence.Value<string>("startTime") is { } startText)
        {
            if (DateTimeOffset.TryParse(startText, null, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)) start = parsed;
            else Error($"{where}: recurrence startTime '{startText}' is not a date and time.");
        }
        return new RecurrenceSchedule(match ?? "Minute", Math.Max(interval, 1), start);
    }

    private ActionContainer ReadContainer(JToken? token, ActionDefinition? owner, string branch, int depth, int loopDepth, string path)
    {
        var container = new ActionContainer(owner, branch);
        if (token is null || token.Type == JTokenType.Null) return container;
        if (token is not JObject actions)
        {
            Error($"'{path}' must be an object of actions.");
            return container;
        }
        if (depth > MaxNestingDepth)
        {
            Error($"'{owner?.Name}' nests actions {depth} levels deep; Logic Apps allows at most {MaxNestingDepth}.");
            return container;
        }

        foreach (var property in actions.Properties())
        {
            if (property.Value is not JObject json)
            {
                Error($"action '{property.Name}' must be an object.");
                continue;
            }
            var action = ReadAction(property.Name, json, container, depth, loopDepth);
            if (action is null) continue;
            action.Index = container.Actions.Count;
            container.Actions.Add(action);
        }
        LinkRunAfter(container);
        return container;
    }

    private ActionDefinition? ReadAction(string name, JObject json, ActionContainer container, int depth, int loopDepth)
    {
        var type = json.Value<string>("type") ?? "";
        if (!ActionTypes.TryGetValue(type, out var kind))
        {
            Error($"action '{name}' has type '{type}', which this runtime does not support (supported: {string.Join(", ", ActionTypes.Values)}).");
            return null;
        }
        if (workflow.AllActions.ContainsKey(name))
        {
            Error($"the action name '{name}' is used more than once; action names must be unique in a workflow.");
            return null;
        }
        var where = $"action '{name}'";
        var action = new ActionDefinition(name, type, kind, json)
        {
            Container = container,
            Depth = depth,
            LoopDepth = loopDepth,
            OperationOptions = ReadOperationOptions(json),
        };
        workflow.AllActions[name] = action;

        if (kind is ActionKind.Query or ActionKind.Select)
        {
            // 'where' / 'select' are evaluated per item (item() is the element), not with the other inputs.
            action.Inputs = Compile(json.SelectToken("inputs.from"), where + " inputs.from");
            var perItem = kind == ActionKind.Query ? "where" : "select";
            if (json.SelectToken("inputs." + perItem) is not { } itemTemplate) Error($"{where}: inputs.{perItem} is missing.");
            else action.ItemTemplate = Compile(itemTemplate, $"{where} inputs.{perItem}");
        }
        else if (kind is not (ActionKind.If or ActionKind.Switch or ActionKind.Foreach or ActionKind.Until or ActionKind.Scope))
        {
            action.Inputs = Compile(json["inputs"], where + " inputs");
        }
        if (json["trackedProperties"] is JObject tracked) action.TrackedProperties = Compile(tracked, where + " trackedProperties");
        if (json.SelectToken("limit.timeout") is { } timeout && kind != ActionKind.Until)
            action.Timeout = ReadDuration(timeout, where + " limit.timeout");
        ReadSecureData(json, where, out var secureInputs, out var secureOutputs);
        action.SecureInputs = secureInputs;
        action.SecureOutputs = secureOutputs;

        switch (kind)
        {
            case ActionKind.Scope:
                action.Body = ReadContainer(json["actions"], action, "actions", depth + 1, loopDepth, where);
                break;
            case ActionKind.If:
                action.Condition = Condition.Compile(json["expression"], where + " expression", errors);
                action.Body = ReadContainer(json["actions"], action, "actions", depth + 1, loopDepth, where);
                action.Else = ReadContainer(json.SelectToken("else.actions"), action, "else", depth + 1, loopDepth, where + " else");
                break;
            case ActionKind.Switch:
                ReadSwitch(action, json, depth, loopDepth, where);
                break;
            case ActionKind.Foreach:
                ReadForeach(action, json, where);
                action.Body = ReadContainer(json["actions"], action, "actions", depth + 1, loopDepth + 1, where);
                break;
            case ActionKind.Until:
                ReadUntil(action, json, where);
                action.Body = ReadContainer(json["actions"], action, "actions", depth + 1, loopDepth + 1, where);
                break;
            case ActionKind.InitializeVariable:
                variableCount++;
                if (container.Owner is not null)
                    Error($"{where}: Initialize variable actions must be at the top level of the workflow, not inside '{container.Owner.Name}'.");
                break;
            case ActionKind.Terminate:
            case ActionKind.Response:
                if (loopDepth > 0)
                    Error($"{where}: a {kind} action can't be inside a For each or Until loop.");
                if (kind == ActionKind.Response) workflow.HasResponseAction = true;
                break;
            case ActionKind.CSharpScriptCode:
                var codeFile = json.SelectToken("inputs.CodeFile")?.ToString() ?? json.SelectToken("inputs.codeFile")?.ToString();
                if (string.IsNullOrWhiteSpace(codeFile)) Error($"{where}: inputs.CodeFile (the .csx file in the workflow folder) is missing.");
                else action.CodeFilePath = workflow.Folder is null ? codeFile : Path.GetFullPath(Path.Combine(workflow.Folder, codeFile));
                break;
            case ActionKind.ServiceProvider:
                RequireServiceProviderConfiguration(json, where);
                break;
            case ActionKind.ApiConnection:
                if (json.SelectToken("inputs.host.connection.referenceName") is null)
                    Error($"{where}: inputs.host.connection.referenceName (the managedApiConnections key) is missing.");
                break;
            case ActionKind.InvokeFunction:
                if (json.SelectToken("inputs.functionName") is null) Error($"{where}: inputs.functionName is missing.");
                break;
            case ActionKind.OpenApiConnection:
                RequireOpenApiHost(json, where);
                break;
        }
        return action;
    }

    private void ReadSwitch(ActionDefinition action, JObject json, int depth, int loopDepth, string where)
    {
        action.Expression = Compile(json["expression"], where + " expression");
        var cases = json["cases"] as JObject ?? new JObject();
        if (cases.Count > MaxSwitchCases) Error($"{where} has {cases.Count} cases; a Switch can have at most {MaxSwitchCases}.");
        var seen = new List<JToken>();
        foreach (var property in cases.Properties())
        {
            var caseJson = property.Value as JObject ?? new JObject();
            var value = caseJson["case"];
            if (value is null || value.Type is JTokenType.Object or JTokenType.Array or JTokenType.Null)
            {
                Error($"{where} case '{property.Name}' needs a constant 'case' value (string or number).");
                continue;
            }
            if (value.Type == JTokenType.String && WdlTemplateLike((string)value!))
                Error($"{where} case '{property.Name}': case values must be constants, not expressions.");
            if (seen.Any(other => JToken.DeepEquals(other, value)))
                Error($"{where} case '{property.Name}': the value '{value}' is used by another case; case values must be unique.");
            seen.Add(value);
            action.Cases.Add(new SwitchCaseDefinition(property.Name, value,
                ReadContainer(caseJson["actions"], action, property.Name, depth + 1, loopDepth, $"{where} case '{property.Name}'")));
        }
        action.Default = ReadContainer(json.SelectToken("default.actions"), action, "default", depth + 1, loopDepth, where + " default");
    }

    private static bool WdlTemplateLike(string text) => text.StartsWith('@') && !text.StartsWith("@@", StringComparison.Ordinal);

    private void ReadForeach(ActionDefinition action, JObject json, string where)
    {
        if (json["foreach"] is null) Error($"{where}: 'foreach' (the array to loop over) is missing.");
        action.ForeachItems = Compile(json["foreach"], where + " foreach");
        var repetitions = json.SelectToken("runtimeConfiguration.concurrency.repetitions");
        var sequential = action.OperationOptions.Contains("Sequential");
        if (repetitions is not null)
        {
            if (repetitions.Type != JTokenType.Integer || (int)repetitions < 1 || (int)repetitions > MaxForeachConcurrency)
                Error($"{where}: runtimeConfiguration.concurrency.repetitions must be a whole number from 1 to {MaxForeachConcurrency}.");
            else action.Repetitions = (int)repetitions;
            if (sequential)
                Error($"{where}: use either operationOptions 'Sequential' or runtimeConfiguration.concurrency.repetitions, not both.");
        }
        if (sequential) action.Repetitions = 1;
    }

    private void ReadUntil(ActionDefinition action, JObject json, string where)
    {
        action.Condition = Condition.Compile(json["expression"], where + " expression", errors);
        var count = json.SelectToken("limit.count");
        if (count is { Type: JTokenType.Integer } && ((int)count < 1 || (int)count > MaxUntilCount))
            Error($"{where}: limit.count must be from 1 to {MaxUntilCount}.");
        action.UntilCount = count is null ? null : Compile(count, where + " limit.count");
        var timeout = json.SelectToken("limit.timeout");
        if (timeout is { Type: JTokenType.String } && !((string)timeout!).StartsWith('@')) ReadDuration(timeout, where + " limit.timeout");
        action.UntilTimeout = timeout is null ? null : Compile(timeout, where + " limit.timeout");
    }

    private void LinkRunAfter(ActionContainer container)
    {
        var byName = container.Actions.ToDictionary(a => a.Name, a => a.Index, StringComparer.Ordinal);
        var successors = container.Actions.Select(_ => new List<int>()).ToArray();
        foreach (var action in container.Actions)
        {
            var conditions = new List<RunAfterCondition>();
            if (action.Json["runAfter"] is JObject runAfter)
            {
                foreach (var predecessor in runAfter.Properties())
                {
                    if (!byName.TryGetValue(predecessor.Name, out var index))
                    {
                        var scope = container.Owner is null ? "the workflow's top level" : $"'{container.Owner.Name}'";
                        Error($"action '{action.Name}' runs after '{predecessor.Name}', which is not an action in the same scope ({scope}); runAfter can only name sibling actions.");
                        continue;
                    }
                    var mask = StatusMask.None;
                    var names = new List<string>();
                    var statuses = predecessor.Value as JArray ?? [];
                    if (statuses.Count == 0) { mask = StatusMask.Succeeded; names.Add("Succeeded"); }
                    foreach (var status in statuses)
                    {
                        var text = status.ToString();
                        if (RunAfterStatuses.TryGetValue(text, out var flag))
                        {
                            mask |= flag;
                            names.Add(RunAfterStatuses.Keys.First(k => k.Equals(text, StringComparison.OrdinalIgnoreCase)));
                        }
                        else Error($"action '{action.Name}' runAfter '{predecessor.Name}' has status '{text}'; allowed: Succeeded, Failed, Skipped, TimedOut.");
                    }
                    conditions.Add(new RunAfterCondition(index, predecessor.Name, mask, names.ToArray()));
                    successors[index].Add(action.Index);
                }
            }
            action.RunAfter = conditions.ToArray();
        }
        for (var i = 0; i < container.Actions.Count; i++) container.Actions[i].Successors = successors[i].ToArray();
        container.BranchEnds = container.Actions.Where(a => a.Successors.Length == 0).Select(a => a.Index).ToArray();
        ReportCycles(container);
    }

    private void ReportCycles(ActionContainer container)
    {
        // 0 = unvisited, 1 = on the current path, 2 = done.
        var state = new int[container.Actions.Count];
        var path = new Stack<int>();
        foreach (var action in container.Actions) Visit(action.Index);

        void Visit(int index)
        {
            if (state[index] == 2) return;
            if (state[index] == 1)
            {
                var cycle = path.Reverse().SkipWhile(i => i != index).Append(index).Select(i => container.Actions[i].Name);
                Error($"the runAfter settings form a cycle: {string.Join(" -> ", cycle)}.");
                return;
            }
            state[index] = 1;
            path.Push(index);
            foreach (var predecessor in container.Actions[index].RunAfter) Visit(predecessor.PredecessorIndex);
            path.Pop();
            state[index] = 2;
        }
    }

    private void RequireServiceProviderConfiguration(JObject json, string where)
    {
        var configuration = json.SelectToken("inputs.serviceProviderConfiguration") as JObject;
        foreach (var key in new[] { "connectionName", "operationId", "serviceProviderId" })
        {
            if (configuration?[key] is null) Error($"{where}: inputs.serviceProviderConfiguration.{key} is missing.");
        }
    }

    private void RequireOpenApiHost(JObject json, string where)
    {
        foreach (var key in new[] { "apiId", "operationId", "connectionName" })
        {
            if (json.SelectToken("inputs.host." + key) is null) Error($"{where}: inputs.host.{key} is missing.");
        }
    }

    private void ReadSecureData(JObject json, string where, out bool inputs, out bool outputs)
    {
        inputs = outputs = false;
        if (json.SelectToken("runtimeConfiguration.secureData.properties") is not JArray properties) return;
        foreach (var property in properties)
        {
            var text = property.ToString();
            if (text.Equals("inputs", StringComparison.OrdinalIgnoreCase)) inputs = true;
            else if (text.Equals("outputs", StringComparison.OrdinalIgnoreCase)) outputs = true;
            else Error($"{where}: secureData.properties may hold 'inputs' and 'outputs', not '{text}'.");
        }
    }

    private static HashSet<string> ReadOperationOptions(JObject json)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (json.Value<string>("operationOptions") is { } text)
        {
            foreach (var option in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) set.Add(option);
        }
        return set;
    }

    private TimeSpan? ReadDuration(JToken token, string where)
    {
        var text = token.ToString();
        if (Durations.TryParse(text, out var duration)) return duration;
        Error($"{where}: '{text}' is not an ISO 8601 duration (e.g. PT30S, PT1H, P1D).");
        return null;
    }

    private CompiledTemplate Compile(JToken? token, string where)
    {
        if (token is not null) CheckExpressionLengths(token, where);
        return CompiledTemplate.Compile(token, $"workflow '{workflowName}' {where}", errors);
    }

    private void CheckExpressionLengths(JToken token, string where)
    {
        if (token is JValue { Type: JTokenType.String } value)
        {
            var text = (string)value!;
            if (text.Length > MaxExpressionLength && text.Contains('@'))
                Error($"{where}: an expression is {text.Length} characters long; the limit is {MaxExpressionLength}.");
            return;
        }
        foreach (var child in token.Children()) CheckExpressionLengths(child is JProperty p ? p.Value : child, where);
    }

    private void Error(string message) => errors.Add($"workflow '{workflowName}': {message}");
}

/// <summary>ISO 8601 durations as Logic Apps writes them (<c>PT5S</c>, <c>PT1H</c>, <c>P1D</c>).</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || !text.StartsWith('P')) return false;
        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
