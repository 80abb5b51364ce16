using Microsoft.Data.Sqlite;
using Workflows.Runtime.History;

namespace LocalLogicApp.History;

/// <summary>
/// The run history the local app keeps: one SQLite file per state folder, <c>&lt;state&gt;/runs.db</c>
/// (<see cref="SqliteRunStore"/>), holding every run within retention and the checkpoints of runs in progress. This view
/// opens it read-only, so it is safe while an app runs on the same state folder; runs are shown as the portal shows them
/// (<see cref="WorkflowRun.ToJson"/>, secured values redacted).
/// </summary>
public sealed class RunHistoryFile
{
    public const string FileName = "runs.db";

    private RunHistoryFile(string stateFolder)
    {
        StateFolder = stateFolder;
        Path = PathIn(stateFolder);
    }

    public string StateFolder { get; }

    /// <summary><c>&lt;state&gt;/runs.db</c>.</summary>
    public string Path { get; }

    /// <summary>Where a state folder's run history is (the file need not exist yet).</summary>
    public static string PathIn(string stateFolder) => System.IO.Path.Combine(System.IO.Path.GetFullPath(stateFolder), FileName);

    /// <summary>The run history of a state folder; throws <see cref="RunHistoryException"/> when there is none.</summary>
    public static RunHistoryFile Open(string stateFolder)
    {
        var full = System.IO.Path.GetFullPath(stateFolder);
        if (!Directory.Exists(full)) throw RunHistoryException.NoHistory($"The state folder {full} does not exist");
        var history = new RunHistoryFile(full);
        if (!File.Exists(history.Path)) throw RunHistoryException.NoHistory($"{full} holds no run history (no {FileName})");
        return history;
    }

    /// <summary>The runs that match, newest first (like <see cref="IRunHistory.Query"/>), plus the runs that could not be
    /// read. <paramref name="orderId"/> matches the runs whose actions tracked that <c>orderId</c>.</summary>
    public RunHistorySnapshot Query(RunQuery query, string? orderId = null)
    {
        var unreadable = new List<RunHistoryException>();
        var runs = Read(store => store.Query(orderId is null ? query : query with { Top = null }), unreadable)
            .Select(run => RunRecord.Parse(Where(run.Id), run.ToJson()));
        if (orderId is not null) runs = runs.Where(r => r.TracksOrder(orderId));
        if (orderId is not null && query.Top is { } top) runs = runs.Take(top);
        return new RunHistorySnapshot(runs.ToList(), unreadable);
    }

    /// <summary>The run with this id; throws <see cref="RunHistoryException"/> when there is none or it can't be read.</summary>
    public RunRecord Find(string runId)
    {
        if (runId.Length == 0 || runId.Any(c => char.IsControl(c) || c is '/' or '\\'))
            throw RunHistoryException.NotFound($"'{runId}' is not a run id");
        var unreadable = new List<RunHistoryException>();
        var run = Read(store => store.Find(runId) is { } found ? [found] : [], unreadable).SingleOrDefault();
        if (run is null && unreadable.Count > 0) throw unreadable[0];
        return run is null
            ? throw RunHistoryException.NotFound($"No run '{runId}' in {Path} (see 'runs list'; runs older than the retention are removed)")
            : RunRecord.Parse(Where(run.Id), run.ToJson());
    }

    private string Where(string runId) => $"{Path} (run {runId})";

    private IReadOnlyList<WorkflowRun> Read(Func<SqliteRunStore, IReadOnlyList<WorkflowRun>> read, List<RunHistoryException> unreadable)
    {
        try
        {
            using var store = SqliteRunStore.OpenReadOnly(Path, problem => unreadable.Add(RunHistoryException.Corrupt(Path, problem)));
            return read(store);
        }
        catch (SqliteException ex)
        {
            throw RunHistoryException.Corrupt(Path, "it is not a run history SQLite can read: " + ex.Message);
        }
        catch (RunStoreFormatException ex)
        {
            throw RunHistoryException.Corrupt(Path, ex.Reason);
        }
    }
}

/// <summary>What a read of the run history found: the runs, and the runs that could not be read.</summary>
public sealed record RunHistorySnapshot(IReadOnlyList<RunRecord> Runs, IReadOnlyList<RunHistoryException> Unreadable);

/// <summary>A run history problem an operator can act on; the message says what and where, never a stack trace.</summary>
public sealed class RunHistoryException : Exception
{
    private RunHistoryException(RunHistoryProblem problem, string message) : base(message) => Problem = problem;

    public RunHistoryProblem Problem { get; }

    public static RunHistoryException NoHistory(string message) =>
        new(RunHistoryProblem.NoHistory, message + ": start the app ('run' or 'run --once') or pass --state.");

    public static RunHistoryException NotFound(string message) => new(RunHistoryProblem.NotFound, message + ".");

    public static RunHistoryException Corrupt(string where, string why) =>
        new(RunHistoryProblem.Corrupt, $"The run history {where} can't be used: {why.TrimEnd('.')}.");

    public static RunHistoryException NotResubmittable(string message) => new(RunHistoryProblem.NotResubmittable, message);
}

public enum RunHistoryProblem
{
    NoHistory,
    NotFound,
    Corrupt,
    NotResubmittable,
}
