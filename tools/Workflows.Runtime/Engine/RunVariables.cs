using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Engine;

/// <summary>
/// A run's variables (global to the run). Values are never changed in place: every update stores a new
/// token, so an action's recorded inputs and outputs keep the value they saw.
/// </summary>
internal sealed class RunVariables
{
    public const int Limit = 250;

    private readonly Dictionary<string, (VariableType Type, JToken Value)> values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock gate = new();

    public JToken Get(string name)
    {
        lock (gate)
        {
            return values.TryGetValue(name, out var variable)
                ? variable.Value
                : throw new ExpressionScopeException($"The variable '{name}' does not exist; initialize it with an 'Initialize variable' action first.");
        }
    }

    public void Initialize(string name, VariableType type, JToken value)
    {
        lock (gate)
        {
            if (values.ContainsKey(name))
                throw ActionFailure.BadRequest("InvalidVariable", $"The variable '{name}' has already been initialized; a variable can be initialized only once.");
            if (values.Count >= Limit)
                throw ActionFailure.BadRequest("InvalidVariable", $"A workflow can have at most {Limit} variables.");
            values[name] = (type, value);
        }
    }

    /// <summary>Every variable with its type and current value (values are never changed in place, so no copy is needed).</summary>
    public List<History.CheckpointVariable> Snapshot()
    {
        lock (gate) return values.Select(v => new History.CheckpointVariable(v.Key, v.Value.Type, v.Value.Value)).ToList();
    }

    /// <summary>Puts back the variables of a checkpoint (a resumed run).</summary>
    public void Restore(IEnumerable<History.CheckpointVariable> variables)
    {
        lock (gate)
        {
            foreach (var variable in variables) values[variable.Name] = (variable.Type, variable.Value);
        }
    }

    /// <summary>Replaces the value with <paramref name="update"/>(type, current) atomically; returns the new value.</summary>
    public JToken Update(string name, Func<VariableType, JToken, JToken> update)
    {
        lock (gate)
        {
            if (!values.TryGetValue(name, out var variable))
                throw ActionFailure.BadRequest("InvalidVariable", $"The variable '{name}' does not exist; initialize it with an 'Initialize variable' action first.");
            var value = update(variable.Type, variable.Value);
            values[name] = (variable.Type, value);
            return value;
        }
    }
}

internal enum VariableType
{
    Boolean,
    Integer,
    Float,
    String,
    Object,
    Array,
}
