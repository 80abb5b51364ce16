using System.Globalization;
using Newtonsoft.Json.Linq;
using Workflows.Runtime;

namespace LocalLogicApp.History;

/// <summary>
/// One run as the run history shows it (<see cref="Workflows.Runtime.History.WorkflowRun.ToJson"/>):
/// what the portal's run list and run view show. Secured inputs and outputs stay as the history redacted them.
/// </summary>
public sealed class RunRecord
{
    private RunRecord(string file, JObject json, string id, string workflow, WorkflowStatus status, DateTimeOffset startTime, DateTimeOffset? endTime)
    {
        File = file;
        Json = json;
        Id = id;
        Workflow = workflow;
        Status = status;
        StartTime = startTime;
        EndTime = endTime;
        Actions = ReadActions(json["actions"] as JObject);
    }

    /// <summary>Where the record was read from.</summary>
    public string File { get; }

    /// <summary>The record as written.</summary>
    public JObject Json { get; }

    public string Id { get; }

    public string Workflow { get; }

    public WorkflowStatus Status { get; }

    public DateTimeOffset StartTime { get; }

    public DateTimeOffset? EndTime { get; }

    public TimeSpan? Duration => EndTime - StartTime;

    public bool IsFinished => Status is not (WorkflowStatus.Running or WorkflowStatus.Waiting);

    public string? ClientTrackingId => Json["correlation"]?.Value<string>("clientTrackingId");

    public string? ResubmittedFrom => Json.Value<string>("resubmittedFrom");

    public JObject? Error => Json["error"] as JObject;

    public JObject Trigger => Json["trigger"] as JObject ?? new JObject();

    /// <summary>Every action, nested ones included, in the order they started.</summary>
    public IReadOnlyList<ActionRecord> Actions { get; }

    /// <summary>Every action's tracked properties, in execution order.</summary>
    public IEnumerable<(string Action, JObject Properties)> TrackedProperties =>
        Actions.Where(a => a.TrackedProperties is not null).Select(a => (a.Name, a.TrackedProperties!));

    /// <summary>True when an action tracked this <c>orderId</c> (the workflows' tracked property name for the order).</summary>
    public bool TracksOrder(string orderId) =>
        TrackedProperties.Any(t => t.Properties["orderId"] is JValue { Type: not JTokenType.Null } value &&
                                   string.Equals(value.ToString(CultureInfo.InvariantCulture), orderId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads a record; throws <see cref="RunHistoryException"/> naming the file and what is wrong with it.</summary>
    public static RunRecord Parse(string file, JObject json)
    {
        string Required(string name) =>
            json[name] is JValue { Type: JTokenType.String } value && ((string)value!).Length > 0
                ? (string)value!
                : throw RunHistoryException.Corrupt(file, $"it has no '{name}'");
        var id = Required("id");
        var workflow = Required("workflow");
        if (!Enum.TryParse<WorkflowStatus>(Required("status"), ignoreCase: false, out var status))
            throw RunHistoryException.Corrupt(file, $"its status '{json["status"]}' is not a run status");
        var start = Time(file, "startTime", json["startTime"]) ?? throw RunHistoryException.Corrupt(file, "it has no 'startTime'");
        var end = Time(file, "endTime", json["endTime"]);
        if (json["trigger"] is not JObject trigger || trigger["outputs"] is not JObject)
            throw RunHistoryException.Corrupt(file, "it has no trigger outputs");
        if (json["actions"] is not (null or JObject)) throw RunHistoryException.Corrupt(file, "its 'actions' is not an object");
        return new RunRecord(file, json, id, workflow, status, start, end);
    }

    internal static DateTimeOffset? Time(string file, string name, JToken? token)
    {
        if (token is null || token.Type == JTokenType.Null || token is JValue { Value: null }) return null;
        return DateTimeOffset.TryParse(token.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw RunHistoryException.Corrupt(file, $"its '{name}' '{token}' is not a time");
    }

    private static IReadOnlyList<ActionRecord> ReadActions(JObject? actions)
    {
        if (actions is null) return [];
        var list = new List<ActionRecord>();
        foreach (var property in actions.Properties())
        {
            if (property.Value is not JObject action) continue;
            list.Add(new ActionRecord(property.Name, action));
        }
        // Stable: actions that started at the same instant keep the order the history wrote them in.
        return list.OrderBy(a => a.StartTime ?? DateTimeOffset.MaxValue).ToList();
    }

    public override string ToString() => $"{Workflow} run {Id}: {Status}";
}

/// <summary>One action of a recorded run, as the portal lists it.</summary>
public sealed class ActionRecord(string name, JObject json)
{
    public string Name { get; } = name;

    public JObject Json { get; } = json;

    public string? Type => Json.Value<string>("type");

    public string? Status => Json.Value<string>("status");

    public string? Code => Json.Value<string>("code");

    public DateTimeOffset? StartTime => TryTime(Json["startTime"]);

    public DateTimeOffset? EndTime => TryTime(Json["endTime"]);

    public TimeSpan? Duration => EndTime - StartTime;

    public string? ErrorMessage => (Json["error"] as JObject)?.Value<string>("message");

    /// <summary>Retried attempts (the portal's "Retry history"); 0 when the first attempt stood.</summary>
    public int RetryCount => (Json["retryHistory"] as JArray)?.Count ?? 0;

    public JObject? TrackedProperties => Json["trackedProperties"] as JObject;

    private static DateTimeOffset? TryTime(JToken? token) =>
        token is { Type: not JTokenType.Null } &&
        DateTimeOffset.TryParse(token.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
