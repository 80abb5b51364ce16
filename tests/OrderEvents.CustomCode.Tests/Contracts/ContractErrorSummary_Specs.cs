using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Tests.Contracts;

[TestClass]
public sealed class ContractErrorSummary_Specs
{
    [TestMethod]
    public void Codes_are_distinct_sorted_and_joined_with_commas()
    {
        var errors = new[]
        {
            new ContractError("$.data.lines[0].quantity", "NotPositive", "…"),
            new ContractError("$.data.currency", "InvalidCurrency", "…"),
            new ContractError("$.data.lines[1].quantity", "NotPositive", "…"),
        };

        Assert.AreEqual("InvalidCurrency,NotPositive", ContractErrorSummary.Codes(errors));
        Assert.AreEqual("$.data.lines[0].quantity", ContractErrorSummary.FirstPath(errors));
    }

    [TestMethod]
    public void Without_errors_there_is_nothing_to_track()
    {
        Assert.IsNull(ContractErrorSummary.Codes([]));
        Assert.IsNull(ContractErrorSummary.FirstPath([]));
    }

    [TestMethod]
    public void Too_many_codes_are_cut_at_a_code_boundary_and_marked()
    {
        var errors = Enumerable.Range(0, 40).Select(i => new ContractError("$.x", $"Code{i:D2}WithALongName", "…")).ToList();

        var codes = ContractErrorSummary.Codes(errors)!;

        Assert.IsLessThanOrEqualTo(ContractErrorSummary.MaxCodesLength, codes.Length);
        StringAssert.EndsWith(codes, ",\u2026");
        StringAssert.StartsWith(codes, "Code00WithALongName,Code01WithALongName,");
        Assert.IsTrue(codes[..^2].Split(',').All(c => c.Length == "Code00WithALongName".Length), codes);
    }

    [TestMethod]
    public void A_path_from_the_callers_property_names_is_bounded_and_loses_its_control_characters()
    {
        var errors = new[] { new ContractError("$.data['evil\r\nname" + new string('x', 400) + "']", "UnknownProperty", "…") };

        var path = ContractErrorSummary.FirstPath(errors)!;

        Assert.AreEqual(ContractErrorSummary.MaxPathLength, path.Length);
        Assert.IsFalse(path.Any(char.IsControl), path);
        StringAssert.StartsWith(path, "$.data['evil name");
    }
}
