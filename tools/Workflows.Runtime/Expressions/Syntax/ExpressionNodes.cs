using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Functions;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Expressions.Syntax;

/// <summary>What one evaluation carries: the scope and the expression text (errors quote it).</summary>
internal sealed class EvaluationContext(IExpressionScope scope, string expressionText)
{
    public IExpressionScope Scope { get; } = scope;

    public string ExpressionText { get; } = expressionText;

    private Dictionary<JToken, string>? texts;

    /// <summary>The text of a value (<see cref="WdlValue.ToText"/>); an object or array is serialized once per evaluation,
    /// however often the expression asks (e.g. <c>string(triggerBody())</c> repeated in one condition). Values do not
    /// change while an expression is evaluated: functions that modify a value work on a copy.</summary>
    public string TextOf(JToken value)
    {
        if (value is not JContainer) return WdlValue.ToText(value);
        texts ??= new Dictionary<JToken, string>(ReferenceEqualityComparer.Instance);
        if (!texts.TryGetValue(value, out var text)) texts[value] = text = WdlValue.ToText(value);
        return text;
    }
}

internal abstract class ExpressionNode
{
    public abstract JToken Evaluate(EvaluationContext context);
}

internal sealed class LiteralNode : ExpressionNode
{
    public LiteralNode(JToken value)
    {
        Value = value;
        // The literal gets a parent of its own, so it is a borrowed value like any other the scope hands out: a container
        // that takes it takes a copy (Newtonsoft's one-parent rule), and nothing adopts the parse tree's token. Every
        // evaluation can then return the same token instead of a copy (values are never changed in place).
        _ = new JArray(value);
    }

    public JToken Value { get; }

    public override JToken Evaluate(EvaluationContext context) => Value;
}

internal sealed class CallNode(FunctionDefinition function, string writtenName, ExpressionNode[] arguments) : ExpressionNode
{
    public FunctionDefinition Function { get; } = function;

    public string WrittenName { get; } = writtenName;

    public ExpressionNode[] Arguments { get; } = arguments;

    /// <summary>True when a property or index is selected from this call's value (set by <see cref="AccessNode"/>).</summary>
    internal bool SelectedFrom { get; set; }

    private readonly RecordRead read = RecordRead.Of(function.Name);

    public override JToken Evaluate(EvaluationContext context)
    {
        // body('X'), triggerBody() (and outputs('X'), triggerOutputs() with a selection after them) read the record's
        // value without building the record: what they hand on is a child of it.
        if (read.Source != RecordSource.None && (read.Child is not null || (SelectedFrom && read.WholeValue)) && context.Scope is IRecordValues values)
        {
            var value = ReadRecord(values, inputs: false, context);
            if (read.Child is null) return value ?? WdlValue.Null();
            return value is JObject obj ? AccessNode.FindProperty(obj, read.Child) ?? WdlValue.Null() : WdlValue.Null();
        }
        if (Function.LazyBody is { } lazy) return lazy(new LazyCall(Function.Name, Arguments, context));
        var evaluated = Arguments.Length == 0 ? [] : new JToken[Arguments.Length];
        for (var i = 0; i < evaluated.Length; i++) evaluated[i] = Arguments[i].Evaluate(context);
        return Function.Body!(new FunctionCall(Function.Name, evaluated, context));
    }

    /// <summary>True for <c>workflow()</c>.</summary>
    internal bool IsWorkflow => Function.Name == "workflow";

    /// <summary>True for <c>trigger()</c>, <c>action()</c> and <c>actions('X')</c>, whose records <see cref="AccessNode"/>
    /// can read <c>inputs</c> and <c>outputs</c> of without building them.</summary>
    internal bool IsRecord => read.Source != RecordSource.None && read.Child is null && !read.WholeValue;

    /// <summary>The record's inputs or outputs, with the errors the function itself would raise.</summary>
    internal JToken? ReadRecord(IRecordValues values, bool inputs, EvaluationContext context)
    {
        string? name = null;
        if (read.Source == RecordSource.Action && Arguments.Length > 0)
        {
            name = new FunctionCall(Function.Name, [Arguments[0].Evaluate(context)], context).Text(0);
        }
        try
        {
            return read.Source == RecordSource.Trigger ? values.TriggerValue(inputs) : values.ActionValue(name, inputs);
        }
        catch (ExpressionScopeException ex)
        {
            throw WorkflowFunctions.ScopeFailure(context, ex);
        }
    }

    private enum RecordSource { None, Trigger, Action }

    /// <summary>Which record a workflow function reads: <paramref name="WholeValue"/> for <c>outputs('X')</c> and
    /// <c>triggerOutputs()</c> (the outputs themselves), <paramref name="Child"/> for <c>body('X')</c> and
    /// <c>triggerBody()</c>, neither for the record functions.</summary>
    private readonly record struct RecordRead(RecordSource Source, bool WholeValue, string? Child)
    {
        public static RecordRead Of(string function) => function switch
        {
            "trigger" => new(RecordSource.Trigger, false, null),
            "triggerOutputs" => new(RecordSource.Trigger, true, null),
            "triggerBody" => new(RecordSource.Trigger, true, "body"),
            "action" or "actions" => new(RecordSource.Action, false, null),
            "outputs" or "actionOutputs" => new(RecordSource.Action, true, null),
            "body" or "actionBody" => new(RecordSource.Action, true, "body"),
            _ => default,
        };
    }
}

/// <summary><c>.name</c>, <c>['name']</c> or <c>[index]</c> after a call; <c>?</c> makes the step null-safe.</summary>
internal sealed class AccessNode : ExpressionNode
{
    private readonly ExpressionNode target;
    private readonly JValue? propertySelector;
    private readonly ExpressionNode? indexExpression;
    private readonly bool nullSafe;

    /// <summary>Set for <c>['inputs']</c> or <c>['outputs']</c> right after <c>trigger()</c>, <c>action()</c> or <c>actions('X')</c>.</summary>
    private readonly bool? readsRecordInputs;

    /// <summary>Set for <c>['run']</c> right after <c>workflow()</c>.</summary>
    private readonly bool readsWorkflowRun;

    public AccessNode(ExpressionNode target, string? propertyName, ExpressionNode? indexExpression, bool nullSafe)
    {
        this.target = target;
        this.indexExpression = indexExpression;
        this.nullSafe = nullSafe;
        // A selector is only read: one token serves every evaluation.
        propertySelector = propertyName is null ? null : new JValue(propertyName);
        if (target is CallNode call)
        {
            call.SelectedFrom = true;
            if (call.IsRecord && propertyName is not null)
            {
                // A record's keys: the exact name or, as FindProperty reads them, any casing of it.
                if (string.Equals(propertyName, "inputs", StringComparison.OrdinalIgnoreCase)) readsRecordInputs = true;
                else if (string.Equals(propertyName, "outputs", StringComparison.OrdinalIgnoreCase)) readsRecordInputs = false;
            }
            // The exact key only: any other spelling selects from the whole object as before.
            readsWorkflowRun = call.IsWorkflow && propertyName == "run";
        }
        else if (target is AccessNode access)
        {
            access.SelectedFrom = true;
        }
    }

    /// <summary>True when a property or index is selected from this node's value in turn.</summary>
    private bool SelectedFrom { get; set; }

    public override JToken Evaluate(EvaluationContext context)
    {
        // actions('X')?['outputs']?['body']: the record's outputs are read without building the record; only a child of
        // them is handed on (the next selection), so they never gain a second parent.
        if (readsRecordInputs is { } inputs && SelectedFrom && context.Scope is IRecordValues values)
        {
            return ((CallNode)target).ReadRecord(values, inputs, context) ?? WdlValue.Null();
        }
        // workflow()?['run']?['name']: the run's part alone, without the rest of the workflow object; only a child of it is
        // handed on, as from the whole object.
        if (readsWorkflowRun && SelectedFrom && context.Scope is IRecordValues scope && scope.WorkflowRun() is { } run)
        {
            return run;
        }
        var value = target.Evaluate(context);
        JToken selector = propertySelector ?? indexExpression!.Evaluate(context);
        return Select(value, selector, nullSafe, context);
    }

    internal static JToken Select(JToken value, JToken selector, bool nullSafe, EvaluationContext context)
    {
        if (WdlValue.IsNull(value))
        {
            if (nullSafe) return WdlValue.Null();
            throw new WdlEvaluationException(
                $"The template language expression '{context.ExpressionText}' cannot be evaluated because property '{WdlValue.ToText(selector)}' cannot be selected. Property selection is not supported on values of type 'Null'. Please see https://aka.ms/logicexpressions for usage details.");
        }

        switch (value)
        {
            case JObject obj when selector.Type == JTokenType.String:
            {
                var name = (string)((JValue)selector).Value!;
                var found = FindProperty(obj, name);
                if (found is not null) return found;
                if (nullSafe) return WdlValue.Null();
                var available = string.Join(", ", obj.Properties().Select(p => p.Name));
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because property '{name}' doesn't exist, available properties are '{available}'. Please see https://aka.ms/logicexpressions for usage details.");
            }
            case JArray array when selector.Type == JTokenType.Integer:
            {
                var index = WdlValue.AsLong(selector);
                if (index >= 0 && index < array.Count) return array[(int)index];
                if (nullSafe) return WdlValue.Null();
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because array index '{index}' is outside bounds (0 - {array.Count - 1}) of array. Please see https://aka.ms/logicexpressions for usage details.");
            }
            case JArray when selector.Type == JTokenType.String:
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because property '{WdlValue.ToText(selector)}' cannot be selected. Array elements can only be selected using an integer index. Please see https://aka.ms/logicexpressions for usage details.");
            case JObject when selector.Type == JTokenType.Integer:
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because the integer index '{WdlValue.ToText(selector)}' cannot be used to select a property of an object; use a property name. Please see https://aka.ms/logicexpressions for usage details.");
            default:
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because property '{WdlValue.ToText(selector)}' cannot be selected. Property selection is not supported on values of type '{WdlValue.TypeName(value)}'. Please see https://aka.ms/logicexpressions for usage details.");
        }
    }

    /// <summary>Exact name first, then case-insensitive; then a slash path (<c>['body/value']</c>, as the
    /// Power Automate designer writes it) when the name itself is not a key.</summary>
    internal static JToken? FindProperty(JObject obj, string name)
    {
        if (obj.TryGetValue(name, out var exact)) return exact;
        var loose = obj.GetValue(name, StringComparison.OrdinalIgnoreCase);
        if (loose is not null) return loose;
        if (name.IndexOf('/') <= 0) return null;
        JToken? current = obj;
        foreach (var segment in name.Split('/'))
        {
            if (current is not JObject o) return null;
            current = o.GetValue(segment, StringComparison.OrdinalIgnoreCase);
            if (current is null) return null;
        }
        return current;
    }
}
