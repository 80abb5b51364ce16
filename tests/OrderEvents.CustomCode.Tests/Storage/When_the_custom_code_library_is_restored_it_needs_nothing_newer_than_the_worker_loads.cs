using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>The custom-code library (what lib/custom/net8 carries besides the thin host) restores only packages the
/// Logic Apps worker can load; the check itself catches the closure this library had before (Azure.Core 1.64,
/// Azure.Identity 1.21, Microsoft.Extensions 10).</summary>
[TestClass]
public sealed class When_the_custom_code_library_is_restored_it_needs_nothing_newer_than_the_worker_loads
{
    private const string TargetFramework = "net8.0";

    [TestMethod]
    public void Its_restored_closure_stays_within_what_the_worker_loads()
    {
        var assetsFile = RepositoryRoot.PathOf("CustomCode/OrderEvents.CustomCode/obj/project.assets.json");
        Assert.IsTrue(File.Exists(assetsFile), $"{assetsFile} is missing: build or restore the solution first.");

        var assets = JObject.Parse(File.ReadAllText(assetsFile));
        var violations = WorkerLoadableDependencies.Violations(assets, TargetFramework);

        Assert.AreEqual(0, violations.Count, "The custom-code library needs what the Logic Apps worker cannot load (see docs/custom-code.md, 'Packages the worker loads'):\n" + string.Join("\n", violations));
        Assert.IsTrue(((JObject)assets["targets"]![TargetFramework]!).Properties().Any(p => p.Name.StartsWith("Azure.Storage.Blobs/", StringComparison.Ordinal)),
            "the check looked at the real closure (the Blob SDK is in it)");
    }

    [TestMethod]
    public void The_closure_it_had_before_is_refused_naming_each_package()
    {
        var assets = JObject.Parse(File.ReadAllText(RepositoryRoot.PathOf("tests/OrderEvents.CustomCode.Tests/Storage/Fixtures/project.assets.azure-core-1.64.json")));

        var violations = WorkerLoadableDependencies.Violations(assets, TargetFramework);

        CollectionAssert.Contains(violations.ToList(), "Azure.Core 1.64.0 resolves; the worker loads 1.37.0");
        CollectionAssert.Contains(violations.ToList(), "Azure.Identity 1.21.0 needs Azure.Core >= 1.53.0; the worker loads 1.37.0");
        CollectionAssert.Contains(violations.ToList(), "Microsoft.Extensions.Hosting.Abstractions 10.0.10 resolves; the worker's .NET 8 host loads 8.x");
    }
}
