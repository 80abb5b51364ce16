using System.Xml;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.Actions;

/// <summary>For each and Until (https://learn.microsoft.com/azure/logic-apps/logic-apps-control-flow-loops).</summary>
internal static class LoopActions
{
    public const int MaxForeachItems = 100_000;
    private const int DefaultUntilCount = 60;
    private static readonly TimeSpan DefaultUntilTimeout = TimeSpan.FromHours(1);

    public static async ValueTask<WorkflowStatus> ForeachAsync(ActionContext context)
    {
        var action = context.Action;
        var value = context.Evaluate(action.ForeachItems!, "foreach");
        if (value is not JArray items)
        {
            context.Runner.SkipContainer(action.Body!, context.Frame, action);
            throw ActionFailure.BadRequest("InvalidTemplate",
                $"The execution of template action '{action.Name}' failed: the result of the evaluation of 'foreach' expression '{action.Json["foreach"]}' is of type '{Condition.TypeName(value)}'. The result must be a valid array.");
        }
        if (items.Count > MaxForeachItems)
        {
            context.Runner.SkipContainer(action.Body!, context.Frame, action);
            throw ActionFailure.BadRequest("ForeachItemsLimitExceeded",
                $"The 'foreach' input of action '{action.Name}' has {items.Count} items; a For each loop can process at most {MaxForeachItems:N0} items.");
        }

        context.Record.IterationCount = items.Count;
        if (items.Count == 0) return WorkflowStatus.Succeeded;

        // Nested loops run their iterations one at a time (LOOP docs); the outermost uses its concurrency.
        var concurrency = action.LoopDepth > 0 ? 1 : Math.Min(action.Repetitions, items.Count);
        var next = -1;
        var failed = 0;
        var execution = context.Execution;
        var runner = context.Runner;

        async Task Worker()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= items.Count || execution.IsTerminated) return;
                var status = await runner.RunContainerAsync(action.Body!, context.Frame.Iteration(action, items[index], index)).ConfigureAwait(false);
                if (status.IsFailure()) Interlocked.Exchange(ref failed, 1);
            }
        }

        if (concurrency == 1)
        {
            await Worker().ConfigureAwait(false);
        }
        else
        {
            var workers = new Task[concurrency];
            for (var i = 0; i < concurrency; i++) workers[i] = Worker();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        if (execution.IsTerminated) return WorkflowStatus.Cancelled;
        return failed == 1 ? WorkflowStatus.Failed : WorkflowStatus.Succeeded;
    }

    public static async ValueTask<WorkflowStatus> UntilAsync(ActionContext context)
    {
        var action = context.Action;
        var count = DefaultUntilCount;
        if (action.UntilCount is not null)
        {
            var value = context.Evaluate(action.UntilCount, "limit.count");
            if (value.Type != JTokenType.Integer || (long)value < 1 || (long)value > DefinitionReader.MaxUntilCount)
                throw ActionFailure.BadRequest("InvalidTemplate", $"Until action '{action.Name}' has limit.count '{value}'; it must be from 1 to {DefinitionReader.MaxUntilCount}.");
            count = (int)value;
        }
        var timeout = DefaultUntilTimeout;
        if (action.UntilTimeout is not null)
        {
            var value = context.Evaluate(action.UntilTimeout, "limit.timeout");
            if (!Durations.TryParse(value.ToString(), out timeout))
                throw ActionFailure.BadRequest("InvalidTemplate", $"Until action '{action.Name}' has limit.timeout '{value}', which is not an ISO 8601 duration.");
        }
        context.Record.RawInputs = new JObject { ["limit"] = new JObject { ["count"] = count, ["timeout"] = XmlConvert.ToString(timeout) } };

        var clock = context.Execution.Clock;
        var started = clock.GetUtcNow();
        var iterations = 0;
        var last = WorkflowStatus.Succeeded;
        var limitReached = false;
        while (true)
        {
            var frame = context.Frame.Iteration(action, null, iterations);
            last = await context.Runner.RunContainerAsync(action.Body!, frame).ConfigureAwait(false);
            iterations++;
            context.Record.IterationCount = iterations;
            if (context.Execution.IsTerminated) return WorkflowStatus.Cancelled;
            // Do-while: the condition is checked after each iteration and sees that iteration's actions.
            if (context.EvaluateCondition(action.Condition!, new RunScope(context.Execution, frame, context.Record))) break;
            if (iterations >= count || clock.GetUtcNow() - started >= timeout)
            {
                limitReached = true;
                break;
            }
        }

        if (limitReached && action.OperationOptions.Contains("FailWhenLimitsReached"))
        {
            throw ActionFailure.BadRequest("ActionLimitReached",
                $"The Until action '{action.Name}' reached its limit ({iterations} iterations of at most {count}, timeout {XmlConvert.ToString(timeout)}) before its condition was true.");
        }
        return last.IsFailure() ? WorkflowStatus.Failed : WorkflowStatus.Succeeded;
    }
}
