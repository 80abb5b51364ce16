using System.Globalization;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Expressions;

/// <summary>
/// A fixed scope built from a conformance-case <c>context</c> object:
/// <c>{ parameters, variables, appsettings, utcNow, item, items, iterationIndexes, trigger, workflow, actions, results }</c>.
/// Anything absent fails the way the runtime fails (unknown parameter, unknown action, item() outside a loop).
/// </summary>
public sealed class StaticExpressionScope : IExpressionScope
{
    private readonly JObject context;

    private StaticExpressionScope(JObject context, DateTimeOffset utcNow)
    {
        this.context = context;
        UtcNow = utcNow;
    }

    public DateTimeOffset UtcNow { get; }

    /// <summary>Seeded randomness for rand()/guid(); null = unseeded.</summary>
    public Random? Random { get; init; }

    public static StaticExpressionScope FromContext(JObject? context) => FromContext(context, null);

    public static StaticExpressionScope FromContext(JObject? context, Random? random)
    {
        context ??= new JObject();
        var now = DateTimeOffset.UtcNow;
        if (context.GetValue("utcNow", StringComparison.OrdinalIgnoreCase) is JValue { Value: not null } pinned)
        {
            var text = pinned.Type == JTokenType.String ? (string)pinned.Value! : pinned.ToString();
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out now))
                throw new ArgumentException($"The context's utcNow '{text}' is not a valid timestamp.", nameof(context));
        }
        return new StaticExpressionScope(context, now) { Random = random };
    }

    public JToken Parameter(string name) =>
        Lookup("parameters", name) ?? throw new ExpressionScopeException($"The workflow parameter '{name}' is not found.");

    public JToken AppSetting(string name) =>
        Lookup("appsettings", name) ?? throw new ExpressionScopeException($"The app setting '{name}' is not found.");

    public JToken Variable(string name) =>
        Lookup("variables", name) ?? throw new ExpressionScopeException($"The variable '{name}' is not found; variables must be initialized before they are used.");

    public JToken Trigger() => Section("trigger") ?? new JObject();

    public JToken Action(string name) =>
        Lookup("actions", name) ?? throw new ExpressionScopeException($"The action '{name}' is not defined in the workflow or has not run.");

    public JToken CurrentAction() =>
        Section("action") ?? throw new ExpressionScopeException("The function 'action' is only available in trackedProperties, webhook unsubscribe inputs and Until conditions.");

    public JToken Item(string? loopName)
    {
        if (loopName is null)
            return Section("item") ?? throw new ExpressionScopeException("The function 'item' is only available inside a For each loop or an array operation.");
        return Lookup("items", loopName) ?? throw new ExpressionScopeException($"The function 'items' was given '{loopName}', which is not a For each loop enclosing this action.");
    }

    public int IterationIndex(string loopName) =>
        Lookup("iterationIndexes", loopName) is JValue { Type: JTokenType.Integer } index
            ? (int)WdlValue.AsLong(index)
            : throw new ExpressionScopeException($"The function 'iterationIndexes' was given '{loopName}', which is not an Until loop enclosing this action.");

    public JToken Result(string scopeName) =>
        Lookup("results", scopeName) ?? throw new ExpressionScopeException($"The action '{scopeName}' is not a Scope, For each or Until action that has run.");

    public JToken Workflow() => Section("workflow") ?? new JObject();

    private JToken? Section(string name) => context.GetValue(name, StringComparison.OrdinalIgnoreCase);

    private JToken? Lookup(string section, string name) =>
        Section(section) is JObject values ? values.GetValue(name, StringComparison.Ordinal) ?? values.GetValue(name, StringComparison.OrdinalIgnoreCase) : null;
}
