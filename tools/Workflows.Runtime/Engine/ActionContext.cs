using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Expressions;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Engine;

/// <summary>Everything one action handler needs while it runs.</summary>
internal sealed class ActionContext(
    RunExecution execution,
    ContainerRunner runner,
    ExecutionFrame frame,
    ActionDefinition action,
    ActionRun record,
    CancellationToken cancellationToken)
{
    private RunScope? scope;

    public RunExecution Execution { get; } = execution;
    public ContainerRunner Runner { get; } = runner;
    public ExecutionFrame Frame { get; } = frame;
    public ActionDefinition Action { get; } = action;
    public ActionRun Record { get; } = record;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public WorkflowEngine Engine => Execution.Engine;

    public RunScope Scope => scope ??= new RunScope(Execution, Frame, null);

    /// <summary>Evaluates the action's <c>inputs</c> and records them.</summary>
    public JToken EvaluateInputs()
    {
        var inputs = Evaluate(Action.Inputs, "inputs");
        Record.RawInputs = inputs;
        return inputs;
    }

    /// <summary>Evaluates and records inputs that the action only reads and hands on to a reader that only reads them: a
    /// value another tree holds (the trigger's body passed whole) is pointed at, not copied (<see cref="CompiledTemplate.EvaluateBorrowing"/>).</summary>
    public JToken EvaluateReadOnlyInputs()
    {
        JToken inputs;
        try
        {
            inputs = Action.Inputs.EvaluateBorrowing(Scope);
        }
        catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException)
        {
            throw InvalidTemplate(Action.Name, "inputs", ex.Message);
        }
        Record.RawInputs = inputs;
        return inputs;
    }

    /// <summary>Evaluates a template; expression errors fail the action as Logic Apps reports them.</summary>
    public JToken Evaluate(CompiledTemplate template, string? property = null, IExpressionScope? withScope = null)
    {
        try
        {
            return template.Evaluate(withScope ?? Scope);
        }
        catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException)
        {
            throw InvalidTemplate(Action.Name, property, ex.Message);
        }
    }

    public bool EvaluateCondition(Condition condition, IExpressionScope? withScope = null)
    {
        try
        {
            return condition.Evaluate(withScope ?? Scope);
        }
        catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException)
        {
            throw InvalidTemplate(Action.Name, null, ex.Message);
        }
    }

    /// <summary>Microsoft's wording: "Unable to process template language expressions in action 'X' inputs at line '0' and column '0': '...'".</summary>
    public static ActionFailure InvalidTemplate(string actionName, string? property, string message)
    {
        var where = property is null ? $"for action '{actionName}'" : $"in action '{actionName}' {property}";
        return ActionFailure.BadRequest("InvalidTemplate",
            $"Unable to process template language expressions {where} at line '0' and column '0': '{message}'.");
    }
}
