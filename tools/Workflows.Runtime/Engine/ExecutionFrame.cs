using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Engine;

/// <summary>
/// Where an action runs: the run itself (root), one iteration of a For each / Until, or one item of a
/// Filter array / Select. Iterations keep their own action records, so <c>actions('X')</c> inside a loop
/// sees the current iteration's X, and outside it the last one that finished.
/// </summary>
internal sealed class ExecutionFrame
{
    private Dictionary<string, ActionRun>? records;

    private ExecutionFrame(ExecutionFrame? parent, ActionDefinition? loop, JToken? item, int index, RepetitionIndex[] repetition, bool ownsRecords)
    {
        Parent = parent;
        Loop = loop;
        Item = item;
        Index = index;
        Repetition = repetition;
        OwnsRecords = ownsRecords;
    }

    public static ExecutionFrame CreateRoot() => new(null, null, null, 0, [], false);

    public ExecutionFrame? Parent { get; }

    /// <summary>The Foreach / Until / Query / Select this frame is an iteration of (null at the root).</summary>
    public ActionDefinition? Loop { get; }

    public JToken? Item { get; }

    public int Index { get; }

    /// <summary>The loop positions of this frame, outermost first (empty at the root).</summary>
    public RepetitionIndex[] Repetition { get; }

    /// <summary>True for loop iterations (their actions are repetitions); false for the root and item scopes.</summary>
    public bool OwnsRecords { get; }

    public bool IsRoot => Parent is null;

    public ExecutionFrame Iteration(ActionDefinition loop, JToken? item, int index) =>
        new(this, loop, item, index, [.. Repetition, new RepetitionIndex(loop.Name, index)], true);

    /// <summary>A scope for evaluating one item of Filter array / Select: gives <c>item()</c>, keeps no records.</summary>
    public ExecutionFrame ItemScope(ActionDefinition owner, JToken item, int index) => new(this, owner, item, index, Repetition, false);

    public void Add(ActionRun record)
    {
        var map = records;
        if (map is null) records = map = new Dictionary<string, ActionRun>(StringComparer.Ordinal);
        lock (map) map[record.Name] = record;
    }

    public bool TryGet(string name, out ActionRun record)
    {
        var map = records;
        if (map is not null)
        {
            lock (map)
            {
                if (map.TryGetValue(name, out record!)) return true;
            }
        }
        record = null!;
        return false;
    }
}
