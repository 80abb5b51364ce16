using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts.Versioning;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Contracts.Versioning;

/// <summary>Minor versions only add; a breaking change is a new major schema file (docs/contracts.md).</summary>
[TestClass]
public sealed class SchemaCompatibility_Specs
{
    private static string Fixture(string name) => Path.Combine(RepositoryRoot.FullPath, "tests", "OrderEvents.CustomCode.Tests", "Contracts", "Versioning", "Fixtures", name);

    [TestMethod]
    public void Every_minor_version_in_the_registry_accepts_what_the_one_before_accepted()
    {
        var checks = SchemaCompatibility.CheckRegistry(RepositoryRoot.PathOf("Artifacts/Schemas"));

        Assert.IsTrue(checks.Any(c => c.EventType == "OrderCreated" && c.FromVersion == "1.0" && c.ToVersion == "1.1"), "OrderCreated 1.0 -> 1.1 was not compared");
        foreach (var check in checks)
        {
            Assert.IsTrue(check.IsBackwardCompatible, $"{check.EventType} {check.FromVersion} -> {check.ToVersion}: {string.Join("; ", check.BreakingChanges)}");
        }
    }

    [TestMethod]
    public void An_additive_minor_version_passes()
    {
        var check = SchemaCompatibility.CheckRegistry(Fixture("additive")).Single();

        Assert.AreEqual(("1.0", "1.1"), (check.FromVersion, check.ToVersion));
        Assert.IsTrue(check.IsBackwardCompatible, string.Join("; ", check.BreakingChanges));
    }

    [TestMethod]
    public void A_breaking_minor_version_is_reported_change_by_change()
    {
        var check = SchemaCompatibility.CheckRegistry(Fixture("breaking")).Single();

        var found = check.BreakingChanges.Select(c => $"{c.Code} {c.Location}").ToArray();
        CollectionAssert.AreEquivalent(new[]
        {
            "NewRequiredProperty #/properties/carrier",
            "PropertyRemoved #/properties/note",
            "LimitTightened #/properties/weightKg",
            "EnumValueRemoved #/properties/carrier",
            "AdditionalPropertiesClosed #/properties/address",
            "ConstraintChanged #/properties/address/properties/zip",
            "TypeNarrowed #/properties/items/items/properties/count",
            "LimitTightened #/properties/parcelId",
        }, found, string.Join("\n", found));
        Assert.IsTrue(check.BreakingChanges.All(c => c.Message.Length > 0));
    }

    [TestMethod]
    public void A_skipped_minor_version_is_reported()
    {
        var check = SchemaCompatibility.CheckRegistry(Fixture("gap")).Single();

        Assert.AreEqual(SchemaCompatibility.Codes.MinorVersionGap, check.BreakingChanges.Single().Code);
    }

    [TestMethod]
    public void Making_an_optional_order_field_required_is_breaking_even_behind_a_shared_definition()
    {
        var older = JObject.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.PathOf("Artifacts/Schemas"), "OrderCreated.v1.0.schema.json")));
        var newer = (JObject)older.DeepClone();
        newer["properties"]!["schemaVersion"]!["const"] = "1.1";
        ((JArray)newer["$defs"]!["customer"]!["required"]!).Add("phone");

        var change = SchemaCompatibility.Compare(older, newer).Single();

        Assert.AreEqual((SchemaCompatibility.Codes.NewRequiredProperty, "#/properties/data/properties/customer/properties/phone"), (change.Code, change.Location));
    }

    [TestMethod]
    public void Only_the_version_stamp_differs_between_a_schema_and_an_unchanged_copy()
    {
        var older = JObject.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.PathOf("Artifacts/Schemas"), "OrderUpdated.v1.0.schema.json")));
        var newer = (JObject)older.DeepClone();
        newer["properties"]!["schemaVersion"]!["const"] = "1.1";

        Assert.AreEqual(0, SchemaCompatibility.Compare(older, newer).Count);
    }
}
