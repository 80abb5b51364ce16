using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;

namespace LocalLogicApp.History;

/// <summary>
/// The run history the local app keeps on disk: one file per run, <c>&lt;state&gt;/runs/&lt;workflow&gt;/&lt;runId&gt;.json</c>,
/// holding <see cref="WorkflowRun.ToJson"/> (what the portal shows; secured values already redacted). Reading it
/// changes nothing, so it is safe while an app runs on the same state folder.
/// </summary>
public sealed class RunHistoryFolder
{
    public const string FolderName = "runs";

    private RunHistoryFolder(string stateFolder)
    {
        StateFolder = stateFolder;
        Folder = Path.Combine(stateFolder, FolderName);
    }

    public string StateFolder { get; }

    /// <summary><c>&lt;state&gt;/runs</c>.</summary>
    public string Folder { get; }

    /// <summary>The run history of a state folder; throws <see cref="RunHistoryException"/> when there is none.</summary>
    public static RunHistoryFolder Open(string stateFolder)
    {
        var full = Path.GetFullPath(stateFolder);
        if (!Directory.Exists(full)) throw RunHistoryException.NoHistory($"The state folder {full} does not exist");
        var history = new RunHistoryFolder(full);
        if (!Directory.Exists(history.Folder) || !history.Files().Any())
            throw RunHistoryException.NoHistory($"{full} holds no run history ({history.Folder} has no run files)");
        return history;
    }

    /// <summary>Where a state folder's history is written (the folder need not exist yet).</summary>
    public static RunHistoryFolder For(string stateFolder) => new(Path.GetFullPath(stateFolder));

    /// <summary>Writes (or overwrites) one run's file; returns its path.</summary>
    public string Write(WorkflowRun run)
    {
        var workflowFolder = Path.Combine(Folder, run.WorkflowName);
        Directory.CreateDirectory(workflowFolder);
        var file = Path.Combine(workflowFolder, run.Id + ".json");
        // Write-then-rename: a reader never sees half a file, even while the app writes runs as they finish.
        var temporary = file + ".tmp";
        File.WriteAllText(temporary, run.ToJson().ToString(Formatting.Indented));
        File.Move(temporary, file, overwrite: true);
        return file;
    }

    /// <summary>Every run that can be read, newest first, and the files that could not be read (with why).</summary>
    public RunHistorySnapshot Load()
    {
        var runs = new List<RunRecord>();
        var unreadable = new List<RunHistoryException>();
        foreach (var file in Files())
        {
            try
            {
                runs.Add(Read(file));
            }
            catch (RunHistoryException ex)
            {
                unreadable.Add(ex);
            }
        }
        return new RunHistorySnapshot(Newest(runs).ToList(), unreadable);
    }

    /// <summary>The runs that match, newest first (like <see cref="IRunHistory.Query"/>), plus unreadable files.
    /// <paramref name="orderId"/> matches the runs whose actions tracked that <c>orderId</c>.</summary>
    public RunHistorySnapshot Query(RunQuery query, string? orderId = null)
    {
        var all = Load();
        IEnumerable<RunRecord> runs = all.Runs;
        if (query.WorkflowName is { } workflow) runs = runs.Where(r => r.Workflow.Equals(workflow, StringComparison.OrdinalIgnoreCase));
        if (query.Status is { } status) runs = runs.Where(r => r.Status == status);
        if (query.ClientTrackingId is { } tracking) runs = runs.Where(r => r.ClientTrackingId == tracking);
        if (orderId is not null) runs = runs.Where(r => r.TracksOrder(orderId));
        if (query.Top is { } top) runs = runs.Take(top);
        return all with { Runs = runs.ToList() };
    }

    /// <summary>The run with this id; throws <see cref="RunHistoryException"/> when there is none or its file is unreadable.</summary>
    public RunRecord Find(string runId)
    {
        var name = runId + ".json";
        if (runId.Length == 0 || Path.GetFileName(name) != name)
            throw RunHistoryException.NotFound($"'{runId}' is not a run id");
        var file = Directory.EnumerateDirectories(Folder).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
                   ?? throw RunHistoryException.NotFound($"No run '{runId}' in {Folder} (see 'runs list')");
        return Read(file);
    }

    private IEnumerable<string> Files() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateDirectories(Folder).SelectMany(d => Directory.EnumerateFiles(d, "*.json")).Order(StringComparer.Ordinal)
            : [];

    private static RunRecord Read(string file)
    {
        JToken token;
        try
        {
            // Dates stay text: trigger outputs must be replayed exactly as they were recorded.
            using var reader = new JsonTextReader(new StringReader(File.ReadAllText(file))) { DateParseHandling = DateParseHandling.None };
            token = JToken.ReadFrom(reader);
        }
        catch (JsonException ex)
        {
            throw RunHistoryException.Corrupt(file, "it is not valid JSON: " + ex.Message);
        }
        catch (IOException ex)
        {
            throw RunHistoryException.Corrupt(file, "it can't be read: " + ex.Message);
        }
        return token is JObject json ? RunRecord.Parse(file, json) : throw RunHistoryException.Corrupt(file, "it is not a JSON object");
    }

    /// <summary>Newest first; run ids (reversed ticks) break ties the way the engine's history orders them.</summary>
    private static IEnumerable<RunRecord> Newest(IEnumerable<RunRecord> runs) =>
        runs.OrderByDescending(r => r.StartTime).ThenBy(r => r.Id, StringComparer.Ordinal);
}

/// <summary>What a read of the run history found: the runs, and the files that could not be read.</summary>
public sealed record RunHistorySnapshot(IReadOnlyList<RunRecord> Runs, IReadOnlyList<RunHistoryException> Unreadable);

/// <summary>A run history problem an operator can act on; the message says what and where, never a stack trace.</summary>
public sealed class RunHistoryException : Exception
{
    private RunHistoryException(RunHistoryProblem problem, string message) : base(message) => Problem = problem;

    public RunHistoryProblem Problem { get; }

    public static RunHistoryException NoHistory(string message) =>
        new(RunHistoryProblem.NoHistory, message + ": start the app ('run' or 'run --once') or pass --state.");

    public static RunHistoryException NotFound(string message) => new(RunHistoryProblem.NotFound, message + ".");

    public static RunHistoryException Corrupt(string file, string why) =>
        new(RunHistoryProblem.Corrupt, $"The run file {file} can't be used: {why.TrimEnd('.')}.");

    public static RunHistoryException NotResubmittable(string message) => new(RunHistoryProblem.NotResubmittable, message);
}

public enum RunHistoryProblem
{
    NoHistory,
    NotFound,
    Corrupt,
    NotResubmittable,
}
