using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Syntax;
using Workflows.Runtime.Expressions.Values;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>Workflow functions: what the run exposes, delegated to <see cref="IExpressionScope"/>.
/// <c>body('X')</c> = <c>actions('X').outputs.body</c>, <c>outputs('X')</c> = <c>actions('X').outputs</c>.</summary>
internal static class WorkflowFunctions
{
    public static void Register(Action<FunctionDefinition> add)
    {
        add(Define("parameters", 1, 1, static (in FunctionCall c) => Ask(c, static (s, n) => s.Parameter(n!), c.Text(0))));
        add(Define("appsetting", 1, 1, static (in FunctionCall c) => Ask(c, static (s, n) => s.AppSetting(n!), c.Text(0))));
        add(Define("variables", 1, 1, static (in FunctionCall c) => Ask(c, static (s, n) => s.Variable(n!), c.Text(0))));
        add(Define("trigger", 0, 0, static (in FunctionCall c) => Ask(c, static (s, _) => s.Trigger(), null)));
        add(Define("triggerOutputs", 0, 0, static (in FunctionCall c) => Child(Ask(c, static (s, _) => s.Trigger(), null), "outputs")));
        add(Define("triggerBody", 0, 0, static (in FunctionCall c) => Child(Child(Ask(c, static (s, _) => s.Trigger(), null), "outputs"), "body")));
        add(Define("triggerFormDataValue", 1, 1, static (in FunctionCall c) =>
            FormData(c, Child(Child(Ask(c, static (s, _) => s.Trigger(), null), "outputs"), "body"), c.Text(0), single: true)));
        add(Define("triggerFormDataMultiValues", 1, 1, static (in FunctionCall c) =>
            FormData(c, Child(Child(Ask(c, static (s, _) => s.Trigger(), null), "outputs"), "body"), c.Text(0), single: false)));
        add(Define("triggerMultipartBody", 1, 1, static (in FunctionCall c) =>
            MultipartBody(c, Child(Child(Ask(c, static (s, _) => s.Trigger(), null), "outputs"), "body"), 0)));
        add(Define("action", 0, 0, static (in FunctionCall c) => Ask(c, static (s, _) => s.CurrentAction(), null)));
        add(Define("actions", 1, 1, static (in FunctionCall c) => Ask(c, static (s, n) => s.Action(n!), c.Text(0))));
        add(Define("outputs", 1, 1, static (in FunctionCall c) => Child(Ask(c, static (s, n) => s.Action(n!), c.Text(0)), "outputs")));
        add(Define("actionOutputs", 1, 1, static (in FunctionCall c) => Child(Ask(c, static (s, n) => s.Action(n!), c.Text(0)), "outputs")));
        add(Define("body", 1, 1, static (in FunctionCall c) => Child(Child(Ask(c, static (s, n) => s.Action(n!), c.Text(0)), "outputs"), "body")));
        add(Define("actionBody", 1, 1, static (in FunctionCall c) => Child(Child(Ask(c, static (s, n) => s.Action(n!), c.Text(0)), "outputs"), "body")));
        add(Define("formDataValue", 2, 2, static (in FunctionCall c) =>
            FormData(c, Child(Child(Ask(c, static (s, n) => s.Action(n!), c.Text(0)), "outputs"), "body"), c.Text(1), single: true)));
        add(Define("formDataMultiValues", 2, 2, static (in FunctionCall c) =>
            FormData(c, Child(Child(Ask(c, static (s, n) => s.Action(n!), c.Text(0)), "outputs"), "body"), c.Text(1), single: false)));
        add(Define("multipartBody", 2, 2, static (in FunctionCall c) =>
            MultipartBody(c, Child(Child(Ask(c, static (s, n) => s.Action(n!), c.Text(0)), "outputs"), "body"), 1)));
        add(Define("item", 0, 0, static (in FunctionCall c) => Ask(c, static (s, _) => s.Item(null), null)));
        add(Define("items", 1, 1, static (in FunctionCall c) => Ask(c, static (s, n) => s.Item(n), c.Text(0))));
        add(Define("iterationIndexes", 1, 1, static (in FunctionCall c) => Ask(c, static (s, n) => new JValue((long)s.IterationIndex(n!)), c.Text(0))));
        add(Define("result", 1, 1, static (in FunctionCall c) => Ask(c, static (s, n) => s.Result(n!), c.Text(0))));
        add(Define("workflow", 0, 0, static (in FunctionCall c) => Ask(c, static (s, _) => s.Workflow(), null)));
        add(Define("listCallbackUrl", 0, 0, static (in FunctionCall c) =>
            throw c.Fail("is only available in HttpWebhook and ApiConnectionWebhook triggers and actions, which this runtime does not host.")));
    }

    private static JToken Ask(in FunctionCall c, Func<IExpressionScope, string?, JToken> ask, string? name)
    {
        try
        {
            return ask(c.Scope, name) ?? WdlValue.Null();
        }
        catch (ExpressionScopeException ex)
        {
            throw ScopeFailure(c.Context, ex);
        }
    }

    /// <summary>What an expression reports when the run has no such thing (an action that has not run, ...).</summary>
    internal static WdlEvaluationException ScopeFailure(EvaluationContext context, ExpressionScopeException ex) =>
        new($"The template language expression '{context.ExpressionText}' cannot be evaluated: {ex.Message}", ex);

    /// <summary>Property of a record, null when the record or the property is absent (a skipped action has no outputs).</summary>
    private static JToken Child(JToken record, string name) =>
        record is JObject obj ? AccessNode.FindProperty(obj, name) ?? WdlValue.Null() : WdlValue.Null();

    /// <summary>Form data as the runtime stores it: <c>$formdata</c> [{key, value}] for urlencoded content,
    /// <c>$multipart</c> parts with a Content-Disposition name for multipart/form-data.</summary>
    private static JToken FormData(in FunctionCall c, JToken body, string key, bool single)
    {
        var values = new JArray();
        if (body is JObject obj)
        {
            if (obj["$formdata"] is JArray pairs)
            {
                foreach (var pair in pairs.OfType<JObject>())
                    if (string.Equals((string?)pair["key"], key, StringComparison.Ordinal)) values.Add(pair["value"] ?? WdlValue.Null());
            }
            else if (obj["$multipart"] is JArray parts)
            {
                foreach (var part in parts.OfType<JObject>())
                {
                    var disposition = (string?)(part["headers"] as JObject)?.GetValue("Content-Disposition", StringComparison.OrdinalIgnoreCase);
                    if (disposition is not null && disposition.Contains($"name=\"{key}\"", StringComparison.Ordinal))
                        values.Add(part["body"] ?? WdlValue.Null());
                }
            }
            else
            {
                throw c.Fail("expects form data (application/x-www-form-urlencoded or multipart/form-data content).");
            }
        }
        else
        {
            throw c.Fail("expects form data (application/x-www-form-urlencoded or multipart/form-data content).");
        }
        if (!single) return values;
        if (values.Count > 1) throw c.Fail($"found {values.Count} values for the key '{key}'; use formDataMultiValues to read them all.");
        return values.Count == 1 ? values[0] : WdlValue.Null();
    }

    private static JToken MultipartBody(in FunctionCall c, JToken body, int indexArgument)
    {
        var index = c.Integer(indexArgument);
        if (body is JObject obj && obj["$multipart"] is JArray parts)
        {
            if (index < 0 || index >= parts.Count) throw c.Fail($"was asked for part {index}, but the content has {parts.Count} parts.");
            return (parts[(int)index] as JObject)?["body"] ?? WdlValue.Null();
        }
        throw c.Fail("expects multipart content.");
    }
}
