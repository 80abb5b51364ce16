using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;
using Workflows.Runtime.Schema;

namespace Workflows.Runtime.Actions;

/// <summary>Compose, Parse JSON, Filter array (Query), Select and Join.</summary>
internal static class DataActions
{
    private static readonly ValueTask<WorkflowStatus> Succeeded = ValueTask.FromResult(WorkflowStatus.Succeeded);

    /// <summary><c>outputs('Compose')</c> is the evaluated inputs themselves (no <c>body</c> wrapper).</summary>
    public static ValueTask<WorkflowStatus> ComposeAsync(ActionContext context)
    {
        var value = context.EvaluateInputs();
        context.Record.RawOutputs = value;
        context.Record.Code = "OK";
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> ParseJsonAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs() as JObject
                     ?? throw ActionFailure.BadRequest("InvalidTemplate", $"The inputs of Parse JSON action '{context.Action.Name}' must be an object with 'content' and 'schema'.");
        var content = inputs["content"] ?? JValue.CreateNull();
        JToken parsed;
        if (content.Type == JTokenType.String)
        {
            try
            {
                using var reader = new JsonTextReader(new StringReader((string)content!)) { DateParseHandling = DateParseHandling.None };
                parsed = JToken.ReadFrom(reader);
            }
            catch (JsonException ex)
            {
                throw ActionFailure.BadRequest("InvalidJSON", $"Unable to parse the content of action '{context.Action.Name}' as JSON: {ex.Message}");
            }
        }
        else
        {
            parsed = content;
        }

        var outputs = new JObject { ["body"] = parsed };
        if (inputs["schema"] is JObject schema && schema.Count > 0)
        {
            var errors = JsonSchemaValidator.Validate(parsed, schema);
            if (errors.Count > 0)
            {
                var error = new JObject
                {
                    ["code"] = "ValidationFailed",
                    ["message"] = "The schema validation failed. " + string.Join(" ", errors.Select(e => e.ToJson().Value<string>("message"))),
                    ["details"] = new JArray(errors.Select(e => e.ToJson())),
                };
                throw new ActionFailure("BadRequest", error, outputs);
            }
        }
        context.Record.RawOutputs = outputs;
        context.Record.Code = "OK";
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> QueryAsync(ActionContext context)
    {
        var from = RequireArray(context, "Filter array");
        var result = new JArray();
        for (var i = 0; i < from.Count; i++)
        {
            var scope = new RunScope(context.Execution, context.Frame.ItemScope(context.Action, from[i], i), null);
            var keep = context.Evaluate(context.Action.ItemTemplate!, "inputs.where", scope);
            try
            {
                if (Condition.RequireBoolean(keep, "'where' expression")) result.Add(from[i]);
            }
            catch (Expressions.WdlEvaluationException ex)
            {
                throw ActionContext.InvalidTemplate(context.Action.Name, "inputs", ex.Message);
            }
        }
        context.Record.RawOutputs = new JObject { ["body"] = result };
        context.Record.Code = "OK";
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> SelectAsync(ActionContext context)
    {
        var from = RequireArray(context, "Select");
        var result = new JArray();
        for (var i = 0; i < from.Count; i++)
        {
            var scope = new RunScope(context.Execution, context.Frame.ItemScope(context.Action, from[i], i), null);
            result.Add(context.Evaluate(context.Action.ItemTemplate!, "inputs.select", scope));
        }
        context.Record.RawOutputs = new JObject { ["body"] = result };
        context.Record.Code = "OK";
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> JoinAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        if (inputs["from"] is not JArray from)
            throw ActionFailure.BadRequest("InvalidTemplate", $"The 'from' input of Join action '{context.Action.Name}' must be an array.");
        var separator = inputs["joinWith"]?.ToString() ?? "";
        var text = string.Join(separator, from.Select(item => item.Type == JTokenType.String ? (string)item! : item.Type == JTokenType.Null ? "" : item.ToString(Formatting.None)));
        context.Record.RawOutputs = new JObject { ["body"] = text };
        context.Record.Code = "OK";
        return Succeeded;
    }

    private static JArray RequireArray(ActionContext context, string actionKind)
    {
        var from = context.Evaluate(context.Action.Inputs, "inputs");
        context.Record.RawInputs = new JObject { ["from"] = from };
        return from as JArray
               ?? throw ActionFailure.BadRequest("InvalidTemplate",
                   $"The 'from' input of {actionKind} action '{context.Action.Name}' must be an array, but it is of type '{Condition.TypeName(from)}'.");
    }
}
