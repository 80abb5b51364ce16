using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.Actions;

/// <summary>Initialize / Set / Increment / Decrement / Append to array / Append to string variable (https://learn.microsoft.com/azure/logic-apps/logic-apps-create-variables-store-values).</summary>
internal static class VariableActions
{
    private static readonly ValueTask<WorkflowStatus> Succeeded = ValueTask.FromResult(WorkflowStatus.Succeeded);

    public static ValueTask<WorkflowStatus> InitializeAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        if (inputs["variables"] is not JArray { Count: 1 } variables || variables[0] is not JObject variable)
            throw ActionFailure.BadRequest("InvalidVariable", $"Initialize variable action '{context.Action.Name}' must declare exactly one variable in inputs.variables.");
        var name = RequireName(context, variable);
        var typeText = variable.Value<string>("type") ?? "";
        if (!Enum.TryParse<VariableType>(typeText, ignoreCase: true, out var type) || int.TryParse(typeText, out _))
            throw ActionFailure.BadRequest("InvalidVariable",
                $"The variable '{name}' has type '{typeText}'; the type must be one of Boolean, Integer, Float, String, Object, Array.");
        var value = variable.TryGetValue("value", out var given) ? given : DefaultValue(type);
        value = Coerce(name, type, value);
        context.Execution.Variables.Initialize(name, type, value);
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> SetAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        var name = RequireName(context, inputs);
        if (inputs["value"] is not { } value)
            throw ActionFailure.BadRequest("InvalidVariable", $"Set variable action '{context.Action.Name}' needs a 'value'.");
        var stored = context.Execution.Variables.Update(name, (type, _) => Coerce(name, type, value));
        context.Record.RawOutputs = new JObject { ["body"] = new JObject { ["name"] = name, ["value"] = stored } };
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> IncrementAsync(ActionContext context, int sign)
    {
        var inputs = context.EvaluateInputs();
        var name = RequireName(context, inputs);
        var by = inputs["value"] is { Type: not JTokenType.Null } given ? given : new JValue(1);
        if (by.Type is not (JTokenType.Integer or JTokenType.Float))
            throw ActionFailure.BadRequest("InvalidVariableValueType",
                $"The value to {(sign > 0 ? "increment" : "decrement")} variable '{name}' by must be a number, but it is of type '{Condition.TypeName(by)}'.");
        var stored = context.Execution.Variables.Update(name, (type, current) => type switch
        {
            VariableType.Integer when by.Type == JTokenType.Integer => new JValue((long)current + sign * (long)by),
            VariableType.Integer => throw ActionFailure.BadRequest("InvalidVariableValueType",
                $"The variable '{name}' of type 'Integer' can't be changed by the Float value '{by}'."),
            VariableType.Float => new JValue((double)current + sign * (double)by),
            _ => throw ActionFailure.BadRequest("InvalidVariableType",
                $"The variable '{name}' is of type '{type}'; only Integer and Float variables can be incremented or decremented."),
        });
        context.Record.RawOutputs = new JObject { ["body"] = new JObject { ["name"] = name, ["value"] = stored } };
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> AppendToArrayAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        var name = RequireName(context, inputs);
        var value = inputs["value"] ?? JValue.CreateNull();
        var stored = context.Execution.Variables.Update(name, (type, current) =>
        {
            if (type != VariableType.Array)
                throw ActionFailure.BadRequest("InvalidVariableType", $"The variable '{name}' is of type '{type}'; Append to array variable needs an Array variable.");
            var copy = new JArray(((JArray)current).Select(item => item));
            copy.Add(value);
            return copy;
        });
        context.Record.RawOutputs = new JObject { ["body"] = new JObject { ["name"] = name, ["value"] = stored } };
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> AppendToStringAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        var name = RequireName(context, inputs);
        var value = inputs["value"];
        var text = value is null || value.Type == JTokenType.Null ? "" : value.Type == JTokenType.String ? (string)value! : value.ToString(Formatting.None);
        var stored = context.Execution.Variables.Update(name, (type, current) => type == VariableType.String
            ? new JValue((string?)current + text)
            : throw ActionFailure.BadRequest("InvalidVariableType", $"The variable '{name}' is of type '{type}'; Append to string variable needs a String variable."));
        context.Record.RawOutputs = new JObject { ["body"] = new JObject { ["name"] = name, ["value"] = stored } };
        return Succeeded;
    }

    private static string RequireName(ActionContext context, JToken inputs) =>
        inputs["name"]?.Type == JTokenType.String && ((string)inputs["name"]!).Length > 0
            ? (string)inputs["name"]!
            : throw ActionFailure.BadRequest("InvalidVariable", $"Variable action '{context.Action.Name}' needs the variable's 'name'.");

    private static JToken DefaultValue(VariableType type) => type switch
    {
        VariableType.Boolean => false,
        VariableType.Integer => 0,
        VariableType.Float => 0.0,
        VariableType.String => "",
        VariableType.Object => new JObject(),
        _ => new JArray(),
    };

    /// <summary>Checks the value against the variable's type (Float accepts integers; nothing else converts).</summary>
    private static JToken Coerce(string name, VariableType type, JToken value)
    {
        var ok = type switch
        {
            VariableType.Boolean => value.Type == JTokenType.Boolean,
            VariableType.Integer => value.Type == JTokenType.Integer,
            VariableType.Float => value.Type is JTokenType.Float or JTokenType.Integer,
            VariableType.String => value.Type is JTokenType.String or JTokenType.Null,
            VariableType.Object => value.Type is JTokenType.Object or JTokenType.Null,
            VariableType.Array => value.Type is JTokenType.Array or JTokenType.Null,
            _ => false,
        };
        if (!ok)
            throw ActionFailure.BadRequest("InvalidVariableValueType",
                $"The variable '{name}' of type '{type}' cannot be initialized or updated with a value of type '{Condition.TypeName(value)}'. The variable '{name}' only supports values of type '{type}'.");
        if (type == VariableType.Float && value.Type == JTokenType.Integer) return new JValue(Convert.ToDouble((long)value, CultureInfo.InvariantCulture));
        return value;
    }
}
