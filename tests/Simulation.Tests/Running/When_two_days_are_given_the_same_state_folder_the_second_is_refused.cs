using Simulation.Running;

namespace Simulation.Tests.Running;

[TestClass]
public sealed class When_two_days_are_given_the_same_state_folder_the_second_is_refused
{
    private string folder = null!;

    [TestInitialize]
    public void Create()
    {
        folder = Path.Combine(Path.GetTempPath(), "state-lock-" + Guid.NewGuid().ToString("N"), "state");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "servicebus.db"), "the first day's broker");
    }

    [TestCleanup]
    public void Remove() => Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);

    [TestMethod]
    public void The_second_gets_a_clear_error_naming_the_folder_and_the_way_out()
    {
        using var first = StateFolderLock.Acquire(folder);

        var refused = Assert.ThrowsExactly<StateFolderInUseException>(() => StateFolderLock.Acquire(folder));

        StringAssert.Contains(refused.Message, folder);
        StringAssert.Contains(refused.Message, "--state");
    }

    [TestMethod]
    public async Task The_second_day_stops_before_it_touches_the_first_days_state()
    {
        using var first = StateFolderLock.Acquire(folder);
        var options = new SimulationOptions
        {
            ProjectRoot = Path.GetDirectoryName(folder)!, Orders = 10,
            StateFolder = folder + Path.DirectorySeparatorChar, ReportFolder = Path.Combine(Path.GetDirectoryName(folder)!, "report"),
        };

        await Assert.ThrowsExactlyAsync<StateFolderInUseException>(() => DaySimulation.RunAsync(options, new Silent(), CancellationToken.None));

        Assert.AreEqual("the first day's broker", File.ReadAllText(Path.Combine(folder, "servicebus.db")));
        Assert.AreEqual(1, Directory.GetDirectories(Path.GetDirectoryName(folder)!).Length, "nothing was set aside beside the folder");
    }

    [TestMethod]
    public void Once_the_first_day_ends_the_folder_can_be_used_again()
    {
        StateFolderLock.Acquire(folder).Dispose();

        using var next = StateFolderLock.Acquire(folder);

        Assert.IsTrue(File.Exists(StateFolderLock.LockFileOf(folder)));
    }

    [TestMethod]
    public void Different_folders_do_not_block_each_other()
    {
        using var first = StateFolderLock.Acquire(folder);
        using var other = StateFolderLock.Acquire(folder + "-other");

        Assert.AreNotEqual(StateFolderLock.LockFileOf(folder), StateFolderLock.LockFileOf(folder + "-other"));
    }

    private sealed class Silent : ISimulationProgress
    {
        public void Sample(ProgressSnapshot snapshot) { }

        public void Log(string line) { }
    }
}
