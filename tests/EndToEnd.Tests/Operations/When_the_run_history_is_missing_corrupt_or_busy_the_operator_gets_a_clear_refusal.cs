using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.History;
using LocalLogicApp.Hosting;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;

namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class When_the_run_history_is_missing_corrupt_or_busy_the_operator_gets_a_clear_refusal
{
    private string state = null!;

    [TestInitialize]
    public void CreateAStateFolder()
    {
        state = Path.Combine(Path.GetTempPath(), "orders-runs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(state);
    }

    [TestCleanup]
    public void DeleteTheStateFolder()
    {
        try { Directory.Delete(state, recursive: true); } catch (IOException) { }
    }

    [TestMethod]
    public void A_missing_state_folder_or_one_without_runs_is_named_with_how_to_get_a_history()
    {
        var missing = Assert.ThrowsExactly<RunHistoryException>(() => RunHistoryFolder.Open(Path.Combine(state, "nowhere")));
        var empty = Assert.ThrowsExactly<RunHistoryException>(() => RunHistoryFolder.Open(state));

        Assert.AreEqual(RunHistoryProblem.NoHistory, missing.Problem);
        StringAssert.Contains(missing.Message, "does not exist");
        Assert.AreEqual(RunHistoryProblem.NoHistory, empty.Problem);
        StringAssert.Contains(empty.Message, "holds no run history");
        StringAssert.Contains(empty.Message, "'run --once'");
    }

    [TestMethod]
    public void An_unknown_run_id_is_not_found_and_a_path_is_not_a_run_id()
    {
        Write(Record("08584000000000000001000000001CU00", "Succeeded"));
        var history = RunHistoryFolder.Open(state);

        Assert.AreEqual(RunHistoryProblem.NotFound, Assert.ThrowsExactly<RunHistoryException>(() => history.Find("08584000000000000009000000009CU00")).Problem);
        Assert.AreEqual(RunHistoryProblem.NotFound, Assert.ThrowsExactly<RunHistoryException>(() => history.Find("../SapFulfillment/x")).Problem);
    }

    [TestMethod]
    public void A_corrupt_run_file_is_named_and_the_readable_runs_still_list()
    {
        Write(Record("08584000000000000001000000001CU00", "Succeeded"));
        var broken = Path.Combine(state, "runs", "SapFulfillment", "08584000000000000002000000002CU00.json");
        File.WriteAllText(broken, "{\"id\": \"08584000000000000002000000002CU00\", \"workflow\": ");
        var noTrigger = Record("08584000000000000003000000003CU00", "Failed");
        noTrigger.Remove("trigger");
        Write(noTrigger);
        var history = RunHistoryFolder.Open(state);

        var found = history.Query(new RunQuery());

        Assert.AreEqual("08584000000000000001000000001CU00", found.Runs.Single().Id);
        Assert.HasCount(2, found.Unreadable);
        Assert.IsTrue(found.Unreadable.All(u => u.Problem == RunHistoryProblem.Corrupt));
        StringAssert.Contains(found.Unreadable[0].Message, broken);
        StringAssert.Contains(found.Unreadable[0].Message, "not valid JSON");
        StringAssert.Contains(found.Unreadable[1].Message, "no trigger outputs");
        Assert.AreEqual(RunHistoryProblem.Corrupt, Assert.ThrowsExactly<RunHistoryException>(() => history.Find("08584000000000000002000000002CU00")).Problem);
    }

    [TestMethod]
    public async Task A_run_still_running_is_not_resubmitted()
    {
        Write(Record("08584000000000000001000000001CU00", "Running"));

        var refused = await Assert.ThrowsExactlyAsync<RunHistoryException>(() =>
            RunResubmission.ResubmitOnStateAsync(Options(), "08584000000000000001000000001CU00", TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.AreEqual(RunHistoryProblem.NotResubmittable, refused.Problem);
        StringAssert.Contains(refused.Message, "only finished runs");
    }

    [TestMethod]
    public async Task A_state_folder_owned_by_a_running_app_is_not_opened_a_second_time()
    {
        Write(Record("08584000000000000001000000001CU00", "Succeeded"));
        // Process 1 is always alive: it stands for the 'run' process that owns the broker.
        File.WriteAllText(Path.Combine(state, BrokerOwnership.FileName), "1");

        var refused = await Assert.ThrowsExactlyAsync<RunHistoryException>(() =>
            RunResubmission.ResubmitOnStateAsync(Options(), "08584000000000000001000000001CU00", TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.AreEqual(RunHistoryProblem.NotResubmittable, refused.Problem);
        StringAssert.Contains(refused.Message, "(process 1)");
        StringAssert.Contains(refused.Message, "Stop it");
        Assert.IsFalse(File.Exists(Path.Combine(state, LocalLogicAppHost.BrokerDatabaseFile)), "the broker database was not opened");
    }

    private LocalHostOptions Options() => new() { ProjectRoot = LocalApp.Root, StateFolder = state };

    /// <summary>A run record as WorkflowRun.ToJson writes it (the fields the history reads).</summary>
    private static JObject Record(string id, string status) => new()
    {
        ["id"] = id,
        ["workflow"] = "SapFulfillment",
        ["status"] = status,
        ["startTime"] = "2025-06-01T10:00:00.0000000Z",
        ["endTime"] = status == "Running" ? null : "2025-06-01T10:00:01.5000000Z",
        ["correlation"] = new JObject { ["clientTrackingId"] = "corr-1" },
        ["trigger"] = new JObject
        {
            ["name"] = "When_a_message_is_available_in_the_next_session",
            ["type"] = "ServiceProvider",
            ["status"] = "Succeeded",
            ["startTime"] = "2025-06-01T10:00:00.0000000Z",
            ["outputs"] = new JObject { ["body"] = new JObject { ["messageId"] = "order-1-created-v1" } },
        },
        ["actions"] = new JObject(),
    };

    private void Write(JObject record)
    {
        var folder = Path.Combine(state, "runs", record.Value<string>("workflow")!);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, record.Value<string>("id") + ".json"), record.ToString());
    }
}
