using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Contracts;

/// <summary>One contract, stated twice (schemas for everyone, C# for speed): these tests keep the two equal where
/// a sample cannot (lists of versions, allowed properties, currency codes).</summary>
[TestClass]
public sealed class When_the_schema_registry_is_read_it_matches_the_validator
{
    private static readonly JObject Registry = JObject.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.PathOf("Artifacts/Schemas"), "registry.json")));

    private static IEnumerable<(string EventType, string Version, string File, JObject Schema)> Entries =>
        Registry["schemas"]!.Select(e => ((string)e["eventType"]!, (string)e["schemaVersion"]!, (string)e["file"]!,
            JObject.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.PathOf("Artifacts/Schemas"), (string)e["file"]!)))));

    [TestMethod]
    public void The_registry_lists_every_schema_file_and_nothing_else()
    {
        var files = Directory.GetFiles(RepositoryRoot.PathOf("Artifacts/Schemas"), "*.schema.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var listed = Entries.Select(e => e.File).Order(StringComparer.Ordinal).ToArray();

        CollectionAssert.AreEqual(files, listed);
    }

    [TestMethod]
    public void The_validator_knows_exactly_the_versions_in_the_registry()
    {
        var registry = Entries.Select(e => $"{e.EventType} {e.Version} {e.File}").Order(StringComparer.Ordinal).ToArray();
        var validator = OrderEventContracts.All.Select(c => $"{c.EventType} {c.SchemaVersion} {c.SchemaFileName}").Order(StringComparer.Ordinal).ToArray();

        CollectionAssert.AreEqual(registry, validator);
    }

    [TestMethod]
    public void Each_schema_is_draft_2020_12_and_fixes_its_event_type_and_version()
    {
        foreach (var (eventType, version, file, schema) in Entries)
        {
            Assert.AreEqual("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"], file);
            Assert.IsTrue(((string?)schema["$id"])?.EndsWith("/" + file, StringComparison.Ordinal), $"{file}: $id must end with the file name");
            Assert.AreEqual(eventType, (string?)schema["properties"]!["eventType"]!["const"], file);
            Assert.AreEqual(version, (string?)schema["properties"]!["schemaVersion"]!["const"], file);
            Assert.AreEqual($"{eventType}.v{version}.schema.json", file);
        }
    }

    [TestMethod]
    public void Each_schema_allows_in_data_exactly_the_core_and_the_optional_properties_the_validator_allows()
    {
        var core = new[] { "orderId", "customerId", "accountId", "amount", "currency", "lines", "customer", "shipTo" };
        foreach (var (eventType, version, file, schema) in Entries)
        {
            OrderEventContracts.TryParseVersion(version, out var major, out var minor);
            var contract = OrderEventContracts.Find(eventType, major, minor)!;
            var inSchema = ((JObject)schema["properties"]!["data"]!["properties"]!).Properties().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            var inValidator = core.Concat(contract.OptionalDataProperties).Order(StringComparer.Ordinal).ToArray();
            CollectionAssert.AreEqual(inValidator, inSchema, file);
        }
    }

    [TestMethod]
    public void Shared_definitions_are_identical_in_every_schema_of_a_major_version()
    {
        foreach (var family in Entries.GroupBy(e => e.Version.Split('.')[0]))
        {
            var first = family.First();
            foreach (var other in family.Skip(1))
            {
                Assert.IsTrue(JToken.DeepEquals(first.Schema["$defs"], other.Schema["$defs"]), $"$defs of {other.File} differ from {first.File}");
                foreach (var envelopeProperty in new[] { "messageId", "correlationId", "source", "occurredUtc", "payloadReference" })
                {
                    Assert.IsTrue(JToken.DeepEquals(first.Schema["properties"]![envelopeProperty], other.Schema["properties"]![envelopeProperty]), $"{envelopeProperty} of {other.File} differs from {first.File}");
                }
            }
        }
    }

    [TestMethod]
    public void The_currency_codes_of_the_schemas_are_those_of_the_validator()
    {
        foreach (var (_, _, file, schema) in Entries)
        {
            var codes = schema["$defs"]!["currency"]!["enum"]!.Values<string>().Order(StringComparer.Ordinal).ToArray();
            CollectionAssert.AreEqual(Iso4217Currencies.Codes.Order(StringComparer.Ordinal).ToArray(), codes, file);
        }
    }
}
