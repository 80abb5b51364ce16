using Newtonsoft.Json.Linq;
using Workflows.Runtime.Actions;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Expressions;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Engine;

/// <summary>
/// Runs a set of sibling actions by their runAfter graph (https://learn.microsoft.com/azure/logic-apps/error-exception-handling#manage-the-run-after-behavior): an action starts once every
/// predecessor has finished and runs only if each predecessor's status is one it accepts, otherwise it is
/// Skipped and the skip propagates. Independent branches run concurrently. The container's status follows
/// the branch-end rule of https://learn.microsoft.com/azure/logic-apps/error-exception-handling#evaluate-actions-with-scopes-and-their-results.
/// </summary>
internal sealed class ContainerRunner(RunExecution execution)
{
    private static readonly JObject ActionFailedError = new() { ["code"] = "ActionFailed", ["message"] = "An action failed. No dependent actions succeeded." };

    public RunExecution Execution => execution;

    public async Task<WorkflowStatus> RunContainerAsync(ActionContainer container, ExecutionFrame frame)
    {
        var actions = container.Actions;
        var count = actions.Count;
        if (count == 0) return WorkflowStatus.Succeeded;

        var statuses = new WorkflowStatus[count];
        var waitingFor = new int[count];
        var ready = new Queue<int>();
        for (var i = 0; i < count; i++)
        {
            waitingFor[i] = actions[i].RunAfter.Length;
            if (waitingFor[i] == 0) ready.Enqueue(i);
        }

        List<Task<(int Index, WorkflowStatus Status)>>? running = null;
        while (true)
        {
            while (ready.Count > 0)
            {
                if (execution.IsInterrupted) throw RunInterruptedException.Stopped(execution.Run);
                var index = ready.Dequeue();
                var action = actions[index];
                if (execution.IsTerminated)
                {
                    Finish(index, RecordSkipped(action, frame, "ActionSkipped",
                        $"The execution of template action '{action.Name}' is skipped: the workflow run was terminated by action '{execution.TerminatedBy}'."));
                    continue;
                }
                if (UnsatisfiedRunAfter(action, statuses) is { } unmet)
                {
                    var expected = string.Join(", ", unmet.AllowedNames);
                    Finish(index, RecordSkipped(action, frame, "ActionConditionFailed",
                        $"The execution of template action '{action.Name}' is skipped: the 'runAfter' condition for action '{unmet.PredecessorName}' is not satisfied. Expected status values '{expected}' and actual value '{statuses[unmet.PredecessorIndex]}'."));
                    continue;
                }
                var task = ExecuteActionAsync(action, frame);
                if (task.IsCompleted)
                {
                    Finish(index, task.Result);
                }
                else
                {
                    // Only an action that waits gets the task that carries its index (most finish synchronously).
                    (running ??= []).Add(ExecuteAsync(index, task));
                }
            }

            if (running is null || running.Count == 0) break;
            var done = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(done);
            var (doneIndex, doneStatus) = await done.ConfigureAwait(false);
            Finish(doneIndex, doneStatus);
        }

        if (execution.IsTerminated && container.Owner is not null) return WorkflowStatus.Cancelled;
        return ContainerStatus(container, statuses);

        void Finish(int index, WorkflowStatus status)
        {
            statuses[index] = status;
            foreach (var successor in actions[index].Successors)
            {
                if (--waitingFor[successor] == 0) ready.Enqueue(successor);
            }
        }
    }

    private static async Task<(int, WorkflowStatus)> ExecuteAsync(int index, Task<WorkflowStatus> execution) =>
        (index, await execution.ConfigureAwait(false));

    private static RunAfterCondition? UnsatisfiedRunAfter(ActionDefinition action, WorkflowStatus[] statuses)
    {
        foreach (var condition in action.RunAfter)
        {
            var mask = statuses[condition.PredecessorIndex] switch
            {
                WorkflowStatus.Succeeded => StatusMask.Succeeded,
                WorkflowStatus.Failed => StatusMask.Failed,
                WorkflowStatus.Skipped => StatusMask.Skipped,
                WorkflowStatus.TimedOut => StatusMask.TimedOut,
                _ => StatusMask.None,
            };
            if ((condition.Allowed & mask) == 0) return condition;
        }
        return null;
    }

    /// <summary>Failed if any branch end failed; a skipped end counts as the status that made it skip (Learn error-exception-handling; Q&A https://learn.microsoft.com/answers/questions/2114783).</summary>
    private static WorkflowStatus ContainerStatus(ActionContainer container, WorkflowStatus[] statuses)
    {
        foreach (var end in container.BranchEnds)
        {
            if (EffectiveStatus(container, statuses, end).IsFailure()) return WorkflowStatus.Failed;
        }
        return WorkflowStatus.Succeeded;
    }

    private static WorkflowStatus EffectiveStatus(ActionContainer container, WorkflowStatus[] statuses, int index)
    {
        var status = statuses[index];
        if (status != WorkflowStatus.Skipped) return status;
        foreach (var predecessor in container.Actions[index].RunAfter)
        {
            var inherited = EffectiveStatus(container, statuses, predecessor.PredecessorIndex);
            if (inherited.IsFailure()) return inherited;
        }
        return WorkflowStatus.Succeeded;
    }

    public async Task<WorkflowStatus> ExecuteActionAsync(ActionDefinition action, ExecutionFrame frame)
    {
        if (execution.IsInterrupted) throw RunInterruptedException.Stopped(execution.Run);
        if (execution.TakeReplayed(RunCheckpoint.ReplayKey(action.Name, frame.Repetition)) is { } completed)
        {
            Replay(action, frame, completed);
            return completed.Status;
        }

        var clock = execution.Clock;
        var record = new ActionRun(action.Name, action.Type, Timestamps.NewTrackingId(), execution.Run.ClientTrackingId, clock.GetUtcNow())
        {
            InputsSecured = action.SecureInputs,
            OutputsSecured = action.SecureOutputs,
            RepetitionIndexes = frame.Repetition,
        };
        Begin(frame, record);

        CancellationTokenSource? timeout = null;
        CancellationTokenSource? linked = null;
        var cancellationToken = execution.CancellationToken;
        if (action.Timeout is { } limit)
        {
            timeout = new CancellationTokenSource(limit, clock);
            linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            cancellationToken = linked.Token;
        }

        var context = new ActionContext(execution, this, frame, action, record, cancellationToken);
        try
        {
            if (action.Kind is ActionKind.InitializeVariable or ActionKind.SetVariable or ActionKind.IncrementVariable or ActionKind.DecrementVariable
                or ActionKind.AppendToArrayVariable or ActionKind.AppendToStringVariable)
            {
                // A variable changes together with its action's record, never between two checkpoints' views of them.
                lock (execution.StateGate)
                {
                    record.Status = ExecuteKindAsync(context).Result;
                    record.EndTime = clock.GetUtcNow();
                    if (action.TrackedProperties is not null) EvaluateTrackedProperties(action, frame, record);
                    Complete(frame, record);
                }
                Progressed();
                return record.Status;
            }
            var work = ExecuteKindAsync(context);
            var status = work.IsCompletedSuccessfully
                ? work.Result
                : linked is null ? await work.ConfigureAwait(false) : await work.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            record.Status = status;
            if (status == WorkflowStatus.Failed && record.Error is null)
            {
                record.Code = "ActionFailed";
                record.Error = (JObject)ActionFailedError.DeepClone();
            }
            else if (status == WorkflowStatus.Cancelled)
            {
                record.Code = "Cancelled";
            }
        }
        catch (Exception) when (execution.IsInterrupted)
        {
            // The run was stopped where it is: this action does not complete (a resume runs it again).
            throw RunInterruptedException.Stopped(execution.Run);
        }
        catch (ActionFailure failure)
        {
            record.Status = failure.Status;
            record.Code = failure.Code;
            record.Error = failure.Error;
            if (failure.Outputs is not null) record.RawOutputs = failure.Outputs;
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true && !execution.IsTerminated)
        {
            record.Status = WorkflowStatus.TimedOut;
            record.Code = "ActionTimedOut";
            record.Error = new JObject
            {
                ["code"] = "ActionTimedOut",
                ["message"] = $"The execution of template action '{action.Name}' timed out: it did not finish within the action's limit of '{System.Xml.XmlConvert.ToString(action.Timeout!.Value)}'.",
            };
        }
        catch (OperationCanceledException) when (execution.CancellationToken.IsCancellationRequested)
        {
            record.Status = WorkflowStatus.Cancelled;
            record.Code = "Cancelled";
            record.Error = new JObject
            {
                ["code"] = "Cancelled",
                ["message"] = execution.IsTerminated
                    ? $"The action was cancelled because the workflow run was terminated by action '{execution.TerminatedBy}'."
                    : "The action was cancelled because the workflow run was cancelled.",
            };
        }
        catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException)
        {
            var failure = ActionContext.InvalidTemplate(action.Name, null, ex.Message);
            record.Status = WorkflowStatus.Failed;
            record.Code = failure.Code;
            record.Error = failure.Error;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A fault of a binding or the engine: the action fails, the run goes on (as in Azure).
            record.Status = WorkflowStatus.Failed;
            record.Code = "InternalServerError";
            record.Error = new JObject { ["code"] = "InternalServerError", ["message"] = ex.Message };
        }
        finally
        {
            linked?.Dispose();
            timeout?.Dispose();
        }

        if (execution.IsInterrupted) throw RunInterruptedException.Stopped(execution.Run);
        record.EndTime = clock.GetUtcNow();
        if (action.TrackedProperties is not null) EvaluateTrackedProperties(action, frame, record);
        Complete(frame, record);
        Progressed();
        return record.Status;
    }

    private void Progressed()
    {
        var history = execution.Engine.History;
        if (history.KeepsCheckpoints) history.Progressed(execution);
    }

    /// <summary>
    /// An action the run completed before it was interrupted: its record is put back as it was, and so are the records of
    /// everything a completed container holds (loop iterations included), without executing anything again.
    /// </summary>
    private void Replay(ActionDefinition action, ExecutionFrame frame, ActionRun record)
    {
        Begin(frame, record);
        Complete(frame, record);
        if (!action.IsContainer) return;
        if (action.Kind is ActionKind.Foreach or ActionKind.Until)
        {
            for (var index = 0; index < (record.IterationCount ?? 0); index++)
            {
                var iteration = frame.Iteration(action, null, index);
                foreach (var child in action.Body!.Actions) ReplayIfCompleted(child, iteration);
            }
            return;
        }
        foreach (var container in RunScope.Containers(action))
        {
            foreach (var child in container.Actions) ReplayIfCompleted(child, frame);
        }
    }

    private void ReplayIfCompleted(ActionDefinition action, ExecutionFrame frame)
    {
        if (execution.TakeReplayed(RunCheckpoint.ReplayKey(action.Name, frame.Repetition)) is { } completed) Replay(action, frame, completed);
    }

    private ValueTask<WorkflowStatus> ExecuteKindAsync(ActionContext context) => context.Action.Kind switch
    {
        ActionKind.Compose => DataActions.ComposeAsync(context),
        ActionKind.ParseJson => DataActions.ParseJsonAsync(context),
        ActionKind.Query => DataActions.QueryAsync(context),
        ActionKind.Select => DataActions.SelectAsync(context),
        ActionKind.Join => DataActions.JoinAsync(context),
        ActionKind.InitializeVariable => VariableActions.InitializeAsync(context),
        ActionKind.SetVariable => VariableActions.SetAsync(context),
        ActionKind.IncrementVariable => VariableActions.IncrementAsync(context, 1),
        ActionKind.DecrementVariable => VariableActions.IncrementAsync(context, -1),
        ActionKind.AppendToArrayVariable => VariableActions.AppendToArrayAsync(context),
        ActionKind.AppendToStringVariable => VariableActions.AppendToStringAsync(context),
        ActionKind.Scope => ControlActions.ScopeAsync(context),
        ActionKind.If => ControlActions.IfAsync(context),
        ActionKind.Switch => ControlActions.SwitchAsync(context),
        ActionKind.Foreach => LoopActions.ForeachAsync(context),
        ActionKind.Until => LoopActions.UntilAsync(context),
        ActionKind.Terminate => ControlActions.TerminateAsync(context),
        ActionKind.Response => ControlActions.ResponseAsync(context),
        ActionKind.Wait => ControlActions.WaitAsync(context),
        ActionKind.Http => HttpAction.ExecuteAsync(context),
        ActionKind.InvokeFunction => ConnectorActions.InvokeFunctionAsync(context),
        ActionKind.ServiceProvider => ConnectorActions.ServiceProviderAsync(context),
        ActionKind.ApiConnection => ConnectorActions.ApiConnectionAsync(context),
        ActionKind.OpenApiConnection => OpenApiConnectionAction.ExecuteAsync(context),
        ActionKind.CSharpScriptCode => Scripting.CSharpScriptAction.ExecuteAsync(context),
        _ => throw new NotSupportedException($"Action type '{context.Action.Type}' has no handler."),
    };

    private void EvaluateTrackedProperties(ActionDefinition action, ExecutionFrame frame, ActionRun record)
    {
        try
        {
            var value = action.TrackedProperties!.Evaluate(new RunScope(execution, frame, record));
            record.SetTrackedProperties(value as JObject);
        }
        catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException)
        {
            // Azure does not fail the action for a tracked property; it reports the problem beside it.
            record.SetTrackedProperties(new JObject { ["$error"] = $"Tracked properties could not be evaluated: {ex.Message}" });
        }
    }

    /// <summary>Records an action that did not run (and, for containers, all it holds) as Skipped.</summary>
    public WorkflowStatus RecordSkipped(ActionDefinition action, ExecutionFrame frame, string errorCode, string message)
    {
        var now = execution.Clock.GetUtcNow();
        var record = new ActionRun(action.Name, action.Type, Timestamps.NewTrackingId(), execution.Run.ClientTrackingId, now)
        {
            Status = WorkflowStatus.Skipped,
            Code = "ActionSkipped",
            EndTime = now,
            RepetitionIndexes = frame.Repetition,
        };
        record.SetError(errorCode, message);
        Begin(frame, record);
        Complete(frame, record);
        if (action.IsContainer)
        {
            foreach (var container in RunScope.Containers(action)) SkipContainer(container, frame, action);
        }
        return WorkflowStatus.Skipped;
    }

    /// <summary>Children of a container whose body did not run.</summary>
    public void SkipContainer(ActionContainer container, ExecutionFrame frame, ActionDefinition owner)
    {
        foreach (var child in container.Actions)
        {
            RecordSkipped(child, frame, "ActionDependencyFailed", child.ContainerDidNotRunMessage(owner));
        }
    }

    /// <summary>The branch of a Condition or Switch that was not taken.</summary>
    public void SkipBranch(ActionContainer container, ExecutionFrame frame)
    {
        foreach (var child in container.Actions)
        {
            RecordSkipped(child, frame, "ActionBranchingConditionNotSatisfied", child.BranchNotTakenMessage);
        }
    }

    private void Begin(ExecutionFrame frame, ActionRun record)
    {
        if (frame.OwnsRecords) frame.Add(record);
        else execution.Run.SetAction(record);
    }

    private void Complete(ExecutionFrame frame, ActionRun record)
    {
        record.IsCompleted = true;
        if (frame.OwnsRecords) AddRepetition(record);
    }

    // Apart from Complete, whose every call (most are not in a loop) would otherwise allocate this lambda's closure.
    private void AddRepetition(ActionRun record)
    {
        var aggregate = execution.Run.GetOrAddAggregate(record.Name,
            () => new ActionRun(record.Name, record.Type, record.TrackingId, record.ClientTrackingId, record.StartTime));
        aggregate.AddRepetition(record);
    }
}
