namespace Workflows.Runtime.History;

/// <summary>Where runs are kept. The engine records a run when it starts and again when it finishes.</summary>
public interface IRunHistory
{
    void Record(WorkflowRun run);

    WorkflowRun? Find(string runId);

    /// <summary>Newest first.</summary>
    IReadOnlyList<WorkflowRun> Query(RunQuery query);
}

/// <summary>Filters for <see cref="IRunHistory.Query"/>; null means any.</summary>
public sealed record RunQuery(string? WorkflowName = null, WorkflowStatus? Status = null, string? ClientTrackingId = null, int? Top = null);

/// <summary>Run history in memory; keeps the newest <see cref="Capacity"/> runs (older finished runs are dropped).</summary>
public sealed class InMemoryRunHistory(int capacity = 10_000) : IRunHistory
{
    private readonly Dictionary<string, WorkflowRun> byId = new(StringComparer.Ordinal);
    private readonly LinkedList<WorkflowRun> order = new();
    private readonly Lock gate = new();

    public int Capacity { get; } = capacity;

    public int Count
    {
        get { lock (gate) return byId.Count; }
    }

    public void Record(WorkflowRun run)
    {
        lock (gate)
        {
            if (!byId.TryAdd(run.Id, run)) return;
            order.AddFirst(run);
            while (byId.Count > Capacity && order.Last is { } oldest && oldest.Value.IsCompleted)
            {
                order.RemoveLast();
                byId.Remove(oldest.Value.Id);
            }
        }
    }

    public WorkflowRun? Find(string runId)
    {
        lock (gate) return byId.GetValueOrDefault(runId);
    }

    public IReadOnlyList<WorkflowRun> Query(RunQuery query)
    {
        lock (gate)
        {
            IEnumerable<WorkflowRun> runs = order;
            if (query.WorkflowName is { } workflow) runs = runs.Where(r => r.WorkflowName.Equals(workflow, StringComparison.OrdinalIgnoreCase));
            if (query.Status is { } status) runs = runs.Where(r => r.Status == status);
            if (query.ClientTrackingId is { } tracking) runs = runs.Where(r => r.ClientTrackingId == tracking);
            if (query.Top is { } top) runs = runs.Take(top);
            return runs.ToList();
        }
    }
}
