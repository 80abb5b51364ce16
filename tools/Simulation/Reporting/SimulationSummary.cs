using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Simulation.Reporting;

/// <summary>
/// <c>summary.json</c>: exactly the fields of issue 8, item 4 (docs/simulation.md, "summary.json"). Rates are per wall-clock
/// second from the first post to the moment the stack was idle; <see cref="SimulatedSeconds"/> is the simulated time that
/// passed meanwhile.
/// </summary>
public sealed record SimulationSummary(
    int Orders,
    long Events,
    double DurationSeconds,
    double SimulatedSeconds,
    double OrdersPerSecond,
    double WorkflowRunsPerSecond,
    long PeakWorkingSetBytes,
    IReadOnlyDictionary<string, double> ActionsPerRun,
    IReadOnlyDictionary<string, double> StorageTransactionsPerMessage,
    int Lost,
    IReadOnlyDictionary<string, int> DuplicateSideEffects,
    int DeadLettered,
    int Alerts,
    bool InvariantsHeld,
    IReadOnlyList<string> Violations)
{
    public static readonly string[] FieldNames =
    [
        "orders", "events", "durationSeconds", "simulatedSeconds", "ordersPerSecond", "workflowRunsPerSecond", "peakWorkingSetBytes",
        "actionsPerRun", "storageTransactionsPerMessage", "lost", "duplicateSideEffects", "deadLettered", "alerts", "invariantsHeld", "violations",
    ];

    public JObject ToJson() => new()
    {
        ["orders"] = Orders,
        ["events"] = Events,
        ["durationSeconds"] = Math.Round(DurationSeconds, 3),
        ["simulatedSeconds"] = Math.Round(SimulatedSeconds, 3),
        ["ordersPerSecond"] = Math.Round(OrdersPerSecond, 1),
        ["workflowRunsPerSecond"] = Math.Round(WorkflowRunsPerSecond, 1),
        ["peakWorkingSetBytes"] = PeakWorkingSetBytes,
        ["actionsPerRun"] = new JObject(ActionsPerRun.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new JProperty(p.Key, Math.Round(p.Value, 2)))),
        ["storageTransactionsPerMessage"] = new JObject(StorageTransactionsPerMessage.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new JProperty(p.Key, Math.Round(p.Value, 2)))),
        ["lost"] = Lost,
        ["duplicateSideEffects"] = new JObject(DuplicateSideEffects.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new JProperty(p.Key, p.Value))),
        ["deadLettered"] = DeadLettered,
        ["alerts"] = Alerts,
        ["invariantsHeld"] = InvariantsHeld,
        ["violations"] = new JArray(Violations),
    };

    public void Write(string file) => File.WriteAllText(file, ToJson().ToString(Formatting.Indented));
}
