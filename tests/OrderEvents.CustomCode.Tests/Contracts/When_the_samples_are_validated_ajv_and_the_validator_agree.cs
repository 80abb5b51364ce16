using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Contracts;

/// <summary>The JSON Schemas (checked by ajv) and the hand-written C# validator are two statements of one contract:
/// on every sample they must agree on validity and on the paths of the violations, and both must match what the
/// sample's .expected.json says.</summary>
[TestClass]
public sealed class When_the_samples_are_validated_ajv_and_the_validator_agree
{
    private static IReadOnlyDictionary<string, Ajv.Result> ajv = null!;

    [ClassInitialize]
    public static void RunAjvOnce(TestContext _) => ajv = Ajv.Validate(Samples.All.Select(s => s.FilePath));

    [TestMethod]
    public void Every_valid_sample_is_valid_for_ajv_and_for_the_validator()
    {
        Assert.IsTrue(Samples.Valid.Count >= 8, "the valid samples are missing");
        foreach (var sample in Samples.Valid)
        {
            var result = OrderEventValidator.Validate(sample.Json);
            Assert.IsTrue(result.IsValid, $"{sample}: {string.Join("; ", result.Errors)}");
            Assert.IsTrue(ajv[Path.GetFullPath(sample.FilePath)].Valid, $"{sample}: ajv rejects it: {string.Join(", ", ajv[Path.GetFullPath(sample.FilePath)].Paths)}");
        }
    }

    [TestMethod]
    public void Every_invalid_sample_fails_in_ajv_at_exactly_the_expected_paths()
    {
        Assert.IsTrue(Samples.Invalid.Count >= 30, "the invalid samples are missing");
        foreach (var sample in Samples.Invalid)
        {
            var schema = ajv[Path.GetFullPath(sample.FilePath)];
            Assert.IsFalse(schema.Valid, $"{sample}: ajv accepts it");
            CollectionAssert.AreEqual(ExpectedPaths(sample), schema.Paths.ToArray(), $"{sample}: ajv paths [{string.Join(", ", schema.Paths)}]");
        }
    }

    [TestMethod]
    public void Every_invalid_sample_fails_in_the_validator_with_exactly_the_expected_paths_and_codes()
    {
        foreach (var sample in Samples.Invalid)
        {
            var result = OrderEventValidator.Validate(sample.Json);
            Assert.IsFalse(result.IsValid, $"{sample}: the validator accepts it");
            var actual = result.Errors.Select(e => $"{e.Path} {e.Code}").OrderBy(e => e, StringComparer.Ordinal).ToArray();
            var expected = sample.ExpectedErrors.Select(e => $"{e.Path} {e.Code}").OrderBy(e => e, StringComparer.Ordinal).ToArray();
            CollectionAssert.AreEqual(expected, actual, $"{sample}: validator says [{string.Join(", ", actual)}]");
            Assert.IsTrue(result.Errors.All(e => !string.IsNullOrWhiteSpace(e.Message)), $"{sample}: an error without a message");
        }
    }

    [TestMethod]
    public void Every_invalid_sample_says_why_it_is_invalid()
    {
        foreach (var sample in Samples.Invalid)
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(sample.Why), $"{sample}: .expected.json needs a 'why'");
            Assert.IsTrue(sample.ExpectedErrors.Count > 0, $"{sample}: .expected.json lists no errors");
        }
        var orphans = Directory.GetFiles(Path.Combine(RepositoryRoot.PathOf("Artifacts/Samples"), "invalid"), "*" + Samples.ExpectedSuffix)
            .Where(f => !File.Exists(f[..^Samples.ExpectedSuffix.Length] + ".json"));
        Assert.AreEqual(0, orphans.Count(), $"expectations without a sample: {string.Join(", ", orphans)}");
    }

    private static string[] ExpectedPaths(Sample sample) =>
        sample.ExpectedErrors.Select(e => e.Path).Distinct().OrderBy(p => p, StringComparer.Ordinal).ToArray();
}
