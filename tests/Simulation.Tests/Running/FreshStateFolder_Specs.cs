using Simulation.Running;

namespace Simulation.Tests.Running;

/// <summary>
/// A day starts on an empty state folder at once: what the previous day left is set aside and removed in the
/// background, and whatever an earlier, stopped day had set aside is removed too.
/// </summary>
[TestClass]
public sealed class FreshStateFolder_Specs
{
    private string parent = "";

    [TestInitialize]
    public void Create() => parent = Directory.CreateTempSubdirectory("fresh-state-").FullName;

    [TestCleanup]
    public void Remove() => Directory.Delete(parent, recursive: true);

    [TestMethod]
    public async Task The_previous_days_files_are_gone_from_the_folder_at_once_and_removed_from_the_disk_by_the_returned_task()
    {
        var state = Path.Combine(parent, "state");
        Directory.CreateDirectory(Path.Combine(state, "storage", "lake"));
        File.WriteAllText(Path.Combine(state, "runs.db"), "previous day");
        File.WriteAllText(Path.Combine(state, "storage", "lake", "event.json"), "{}");
        var logged = new List<string>();

        var removal = FreshStateFolder.PrepareAsync(state, logged.Add);

        Assert.IsTrue(Directory.Exists(state));
        Assert.AreEqual(0, Directory.EnumerateFileSystemEntries(state).Count(), "the new day starts on an empty folder");
        await removal;
        CollectionAssert.AreEqual(new[] { "state" }, Directory.GetDirectories(parent).Select(Path.GetFileName).ToArray());
        Assert.AreEqual(1, logged.Count(l => l.StartsWith("removing the previous state", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task A_folder_set_aside_by_a_day_that_was_stopped_is_removed_by_the_next_day()
    {
        var state = Path.Combine(parent, "state");
        var leftOver = Path.Combine(parent, "state.previous-20260101000000-0badf00d");
        Directory.CreateDirectory(leftOver);
        File.WriteAllText(Path.Combine(leftOver, "runs.db"), "a day stopped before its removal finished");

        await FreshStateFolder.PrepareAsync(state, _ => { });

        Assert.IsFalse(Directory.Exists(leftOver));
        Assert.IsTrue(Directory.Exists(state));
    }

    [TestMethod]
    public async Task A_folder_named_with_a_trailing_separator_is_set_aside_beside_itself_not_inside()
    {
        var state = Path.Combine(parent, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "runs.db"), "previous day");

        await FreshStateFolder.PrepareAsync(state + Path.DirectorySeparatorChar, _ => { });

        Assert.AreEqual(0, Directory.EnumerateFileSystemEntries(state).Count());
        CollectionAssert.AreEqual(new[] { "state" }, Directory.GetDirectories(parent).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public async Task A_first_day_on_a_folder_that_does_not_exist_creates_it_and_has_nothing_to_remove()
    {
        var state = Path.Combine(parent, "new", "state");
        var logged = new List<string>();

        var removal = FreshStateFolder.PrepareAsync(state, logged.Add);
        await removal;

        Assert.IsTrue(Directory.Exists(state));
        Assert.AreEqual(0, logged.Count);
    }

    [TestMethod]
    public void A_folder_holding_files_no_day_has_used_may_not_be_emptied()
    {
        var folder = Path.Combine(parent, "documents");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "thesis.txt"), "not a day's state");

        var refusal = FreshStateFolder.RefusalFor(folder);

        StringAssert.Contains(refusal, "holds files and no simulated day has used it");
    }

    [TestMethod]
    public void A_folder_a_day_has_used_an_empty_one_and_a_new_one_may_be_emptied()
    {
        var used = Path.Combine(parent, "state");
        Directory.CreateDirectory(used);
        File.WriteAllText(Path.Combine(used, "runs.db"), "previous day");
        using (StateFolderLock.Acquire(used)) { }
        var empty = Directory.CreateDirectory(Path.Combine(parent, "empty")).FullName;

        Assert.IsNull(FreshStateFolder.RefusalFor(used));
        Assert.IsNull(FreshStateFolder.RefusalFor(empty));
        Assert.IsNull(FreshStateFolder.RefusalFor(Path.Combine(parent, "new")));
    }
}
