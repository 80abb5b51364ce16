using Simulation.Faults;

namespace Simulation.Tests.Faults;

[TestClass]
public sealed class FaultProfile_Specs
{
    [TestMethod]
    public void The_faults_preset_is_the_issues_profile_and_clean_has_none()
    {
        var faults = FaultProfile.Resolve("faults");

        Assert.AreEqual(0.1, faults.Transient.Sap);
        Assert.AreEqual(0.05, faults.Transient.Lake);
        Assert.AreEqual(0.02, faults.SapReplyLost);
        Assert.AreEqual(0.01, faults.Poison);
        Assert.AreEqual(0.05, faults.DuplicatePublish);
        Assert.AreEqual(0.02, faults.Crash);
        Assert.AreEqual(0.02, faults.LockLoss);
        Assert.AreEqual(0.05, faults.OutOfOrder);
        Assert.IsTrue(FaultProfile.Resolve("clean").IsClean);
        Assert.IsFalse(faults.IsClean);
    }

    [TestMethod]
    public void A_profile_file_reads_back_what_the_preset_writes_and_missing_values_are_zero()
    {
        var file = Path.Combine(Path.GetTempPath(), "profile-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            File.WriteAllText(file, """{ "transient": { "twilio": 0.25 }, "crash": 0.5 }""");

            var profile = FaultProfile.Resolve(file);

            Assert.AreEqual(0.25, profile.Transient.Twilio);
            Assert.AreEqual(0, profile.Transient.Sap);
            Assert.AreEqual(0.5, profile.Crash);
            Assert.AreEqual(0, profile.Poison);
            Assert.AreEqual(FaultProfile.Faults with { Name = "x" }, FaultProfile.Parse(FaultProfile.Faults.ToJson().ToString(), "x"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void Every_problem_of_a_profile_is_named_at_once()
    {
        var refused = Assert.ThrowsExactly<FaultProfileException>(() =>
            FaultProfile.Parse("""{ "transient": { "sap": 2, "ftp": 0.1 }, "crash": "often", "chaos": 1 }"""));

        StringAssert.Contains(refused.Message, "'transient.sap' must be a number from 0 to 1");
        StringAssert.Contains(refused.Message, "unknown key 'transient.ftp'");
        StringAssert.Contains(refused.Message, "'crash' must be a number from 0 to 1");
        StringAssert.Contains(refused.Message, "unknown key 'chaos'");
        StringAssert.Contains(Assert.ThrowsExactly<FaultProfileException>(() => FaultProfile.Parse("{ not json")).Message, "not valid JSON");
        StringAssert.Contains(Assert.ThrowsExactly<FaultProfileException>(() => FaultProfile.Resolve("no-such-profile")).Message, "clean, faults or a profile file");
    }

    [TestMethod]
    public void A_key_given_twice_is_refused_rather_than_the_last_one_winning()
    {
        var refused = Assert.ThrowsExactly<FaultProfileException>(() => FaultProfile.Parse("""{ "poison": 0.1, "poison": 0.9 }"""));

        StringAssert.Contains(refused.Message, "'poison' already exists");
    }

    [TestMethod]
    public void An_empty_profile_is_refused_as_empty()
    {
        var refused = Assert.ThrowsExactly<FaultProfileException>(() => FaultProfile.Parse("  \n"));

        StringAssert.StartsWith(refused.Message, "The fault profile is empty");
    }

    [TestMethod]
    public void A_profile_with_a_second_JSON_value_after_the_object_is_refused()
    {
        var refused = Assert.ThrowsExactly<FaultProfileException>(() => FaultProfile.Parse("""{ "poison": 0.1 } { "crash": 1 }"""));

        StringAssert.Contains(refused.Message, "not valid JSON: Additional text encountered after finished reading JSON content");
    }

    [TestMethod]
    public void A_profile_files_problem_names_the_file()
    {
        var file = Path.Combine(Path.GetTempPath(), "profile-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            File.WriteAllText(file, """{ "poison": 1.5 }""");

            var refused = Assert.ThrowsExactly<FaultProfileException>(() => FaultProfile.Resolve(file));

            StringAssert.StartsWith(refused.Message, file + ": The fault profile is not valid: 'poison' must be a number from 0 to 1");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
