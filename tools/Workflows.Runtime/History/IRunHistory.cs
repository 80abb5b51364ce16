namespace Workflows.Runtime.History;

/// <summary>
/// Where runs are kept. The engine records a run when it starts and again when it finishes (a resumed run is recorded
/// again under its id and replaces the interrupted one). A durable history (<see cref="SqliteRunStore"/>) also keeps the
/// state of Stateful runs in progress, so that a host that stops or dies resumes them from their last checkpoint.
/// </summary>
public interface IRunHistory
{
    void Record(WorkflowRun run);

    WorkflowRun? Find(string runId);

    /// <summary>Newest first.</summary>
    IReadOnlyList<WorkflowRun> Query(RunQuery query);

    /// <summary>True when this history keeps checkpoints: the engine then reports progress through <see cref="Progressed"/>.</summary>
    bool KeepsCheckpoints => false;

    /// <summary>Completes once the run just recorded as started is durable, so that a host dying after its first action
    /// has something to resume (Azure stores a run before it runs its actions). Completed at once by a history that keeps
    /// no checkpoints, and for a run already stored.</summary>
    Task WhenDurable(WorkflowRun run) => Task.CompletedTask;

    /// <summary>An action of <paramref name="run"/> completed: a durable history takes a checkpoint now or with its next batch.</summary>
    void Progressed(ICheckpointSource run)
    {
    }

    /// <summary>The run stopped where it is (the host is stopping, or a crash was simulated). <paramref name="checkpoint"/>
    /// is its state at that moment; it stays Running until a resume continues it.</summary>
    void Interrupted(RunCheckpoint checkpoint)
    {
    }

    /// <summary>The runs left unfinished (by an earlier process, or interrupted in this one), with their last checkpoint.</summary>
    IReadOnlyList<RunCheckpoint> Unfinished() => [];
}

/// <summary>Filters for <see cref="IRunHistory.Query"/>; null means any.</summary>
public sealed record RunQuery(string? WorkflowName = null, WorkflowStatus? Status = null, string? ClientTrackingId = null, int? Top = null);

/// <summary>
/// Run history in memory; keeps the newest <see cref="Capacity"/> runs (older finished runs are dropped). Interrupted
/// runs keep the checkpoint taken when they stopped, so an engine on the same history can resume them (tests; the
/// local host's durable history is <see cref="SqliteRunStore"/>).
/// </summary>
public sealed class InMemoryRunHistory(int capacity = 10_000) : IRunHistory
{
    private readonly Dictionary<string, LinkedListNode<WorkflowRun>> byId = new(StringComparer.Ordinal);
    private readonly LinkedList<WorkflowRun> order = new();
    private readonly Dictionary<string, RunCheckpoint> interrupted = new(StringComparer.Ordinal);
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
            if (byId.TryGetValue(run.Id, out var known))
            {
                // The same run recorded again (finished), or a resumed run taking the place of the interrupted one.
                if (!ReferenceEquals(known.Value, run)) known.Value = run;
                if (run.IsCompleted) interrupted.Remove(run.Id);
                return;
            }
            byId[run.Id] = order.AddFirst(run);
            while (byId.Count > Capacity && order.Last is { } oldest && oldest.Value.IsCompleted)
            {
                order.RemoveLast();
                byId.Remove(oldest.Value.Id);
            }
        }
    }

    public WorkflowRun? Find(string runId)
    {
        lock (gate) return byId.GetValueOrDefault(runId)?.Value;
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

    public void Interrupted(RunCheckpoint checkpoint)
    {
        lock (gate) interrupted[checkpoint.Run.Id] = checkpoint;
    }

    public IReadOnlyList<RunCheckpoint> Unfinished()
    {
        lock (gate) return interrupted.Values.ToList();
    }
}
