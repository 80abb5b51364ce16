using System.Globalization;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Actions;

/// <summary>Scope, Condition (If), Switch, Terminate, Response and Delay (Wait).</summary>
internal static class ControlActions
{
    private static readonly ValueTask<WorkflowStatus> Succeeded = ValueTask.FromResult(WorkflowStatus.Succeeded);

    public static ValueTask<WorkflowStatus> ScopeAsync(ActionContext context) =>
        new(context.Runner.RunContainerAsync(context.Action.Body!, context.Frame));

    public static ValueTask<WorkflowStatus> IfAsync(ActionContext context)
    {
        var result = context.EvaluateCondition(context.Action.Condition!);
        context.Record.RawInputs = new JObject { ["expressionResult"] = result };
        var taken = result ? context.Action.Body! : context.Action.Else!;
        context.Runner.SkipBranch(result ? context.Action.Else! : context.Action.Body!, context.Frame);
        return new ValueTask<WorkflowStatus>(context.Runner.RunContainerAsync(taken, context.Frame));
    }

    public static ValueTask<WorkflowStatus> SwitchAsync(ActionContext context)
    {
        var action = context.Action;
        var value = context.Evaluate(action.Expression!, "expression");
        context.Record.RawInputs = new JObject { ["expressionValue"] = value };
        if (value.Type is not (JTokenType.String or JTokenType.Integer))
        {
            foreach (var container in RunScope.Containers(action)) context.Runner.SkipContainer(container, context.Frame, action);
            throw ActionFailure.BadRequest("ExpressionEvaluationFailed",
                $"The execution of template action '{action.Name}' failed: the result of the evaluation of 'switch' expression is of type '{Condition.TypeName(value)}'. The result must be a String or an Integer.");
        }
        var chosen = action.Cases.FirstOrDefault(c => c.Value.Type == value.Type && JToken.DeepEquals(c.Value, value))?.Actions ?? action.Default!;
        foreach (var container in RunScope.Containers(action))
        {
            if (!ReferenceEquals(container, chosen)) context.Runner.SkipBranch(container, context.Frame);
        }
        return new ValueTask<WorkflowStatus>(context.Runner.RunContainerAsync(chosen, context.Frame));
    }

    public static ValueTask<WorkflowStatus> TerminateAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        var statusText = inputs["runStatus"]?.ToString() ?? "";
        WorkflowStatus status;
        if (statusText.Equals("Failed", StringComparison.OrdinalIgnoreCase)) status = WorkflowStatus.Failed;
        else if (statusText.Equals("Cancelled", StringComparison.OrdinalIgnoreCase)) status = WorkflowStatus.Cancelled;
        else if (statusText.Equals("Succeeded", StringComparison.OrdinalIgnoreCase)) status = WorkflowStatus.Succeeded;
        else throw ActionFailure.BadRequest("InvalidTemplate", $"Terminate action '{context.Action.Name}' has runStatus '{statusText}'; it must be Failed, Cancelled or Succeeded.");

        JObject? error = null;
        if (status == WorkflowStatus.Failed)
        {
            var runError = inputs["runError"] as JObject;
            error = new JObject
            {
                ["code"] = runError?["code"]?.ToString() ?? "Terminated",
                ["message"] = runError?["message"]?.ToString() ?? $"The run was terminated by action '{context.Action.Name}'.",
            };
        }
        context.Execution.Terminate(context.Action.Name, status, error);
        return Succeeded;
    }

    public static ValueTask<WorkflowStatus> ResponseAsync(ActionContext context)
    {
        var execution = context.Execution;
        if (execution.Definition.Trigger.Kind != TriggerKind.Request)
            throw ActionFailure.BadRequest("InvalidResponseAction", $"The Response action '{context.Action.Name}' can only be used in a workflow with a Request trigger.");
        var inputs = context.EvaluateInputs();
        var statusCode = ReadStatusCode(context, inputs["statusCode"]);
        var headers = new JObject();
        if (inputs["headers"] is JObject given)
        {
            foreach (var header in given.Properties()) headers[header.Name] = header.Value.Type == JTokenType.String ? header.Value : header.Value.ToString(Newtonsoft.Json.Formatting.None);
        }
        if (!execution.TryRespond(new RunResponse(statusCode, headers, inputs["body"])))
            throw ActionFailure.BadRequest("ActionResponseAlreadySent",
                $"The Response action '{context.Action.Name}' can't answer: the request was already answered by another Response action.");
        context.Record.Code = "OK";
        return Succeeded;
    }

    private static int ReadStatusCode(ActionContext context, JToken? value)
    {
        int code;
        if (value?.Type == JTokenType.Integer) code = (int)value;
        else if (value?.Type == JTokenType.String && int.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) code = parsed;
        else if (value is null) code = 200;
        else code = -1;
        if (code is < 200 or > 599 || code is >= 300 and < 400)
            throw ActionFailure.BadRequest("InvalidResponseStatusCode",
                $"The Response action '{context.Action.Name}' has status code '{value}'; it must be a 2xx, 4xx or 5xx number.");
        return code;
    }

    public static async ValueTask<WorkflowStatus> WaitAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        TimeSpan wait;
        if (inputs.SelectToken("interval") is JObject interval)
        {
            var count = interval["count"]?.Type == JTokenType.Integer ? (long)interval["count"]! : -1;
            var unit = interval["unit"]?.ToString() ?? "";
            if (count < 0) throw ActionFailure.BadRequest("InvalidTemplate", $"Delay action '{context.Action.Name}' needs interval.count as a whole number.");
            wait = unit.ToLowerInvariant() switch
            {
                "second" => TimeSpan.FromSeconds(count),
                "minute" => TimeSpan.FromMinutes(count),
                "hour" => TimeSpan.FromHours(count),
                "day" => TimeSpan.FromDays(count),
                "week" => TimeSpan.FromDays(7 * count),
                "month" => TimeSpan.FromDays(30 * count),
                _ => throw ActionFailure.BadRequest("InvalidTemplate", $"Delay action '{context.Action.Name}' has unit '{unit}'; use Second, Minute, Hour, Day, Week or Month."),
            };
        }
        else if (inputs.SelectToken("until.timestamp")?.ToString() is { } timestamp
                 && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until))
        {
            wait = until - context.Execution.Clock.GetUtcNow();
        }
        else
        {
            throw ActionFailure.BadRequest("InvalidTemplate", $"Delay action '{context.Action.Name}' needs 'interval' or 'until.timestamp'.");
        }
        // A Wait that a checkpoint saw in progress ends when it was due to end, not a whole interval after the resume.
        var clock = context.Execution.Clock;
        var key = RunCheckpoint.ReplayKey(context.Action.Name, context.Frame.Repetition);
        var end = context.Execution.WaitStarted(key, clock.GetUtcNow() + (wait > TimeSpan.Zero ? wait : TimeSpan.Zero));
        var left = end - clock.GetUtcNow();
        if (left > TimeSpan.Zero) await context.Engine.DelayAsync(left, context.CancellationToken).ConfigureAwait(false);
        context.Execution.WaitEnded(key);
        return WorkflowStatus.Succeeded;
    }
}
