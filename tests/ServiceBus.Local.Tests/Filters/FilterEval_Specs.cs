using Newtonsoft.Json.Linq;
using ServiceBus.Local.Filters;

namespace ServiceBus.Local.Tests.Filters;

/// <summary>The core of <c>servicebus filter-eval --cases FILE</c>: one result per case, in order.</summary>
[TestClass]
public sealed class FilterEval_Specs
{
    [TestMethod]
    public void A_case_file_yields_one_match_or_error_per_case_in_order()
    {
        var path = Path.Combine(Path.GetTempPath(), $"filter-cases-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            [
              {"filter": "eventType = 'OrderCreated' AND quantity > 2", "properties": {"eventType": "OrderCreated", "quantity": 3}},
              {"filter": "sys.Label LIKE 'Order%' AND sys.To = 'warehouse'", "system": {"Label": "OrderUpdated", "To": "warehouse"}},
              {"filter": "missing = 1", "properties": {}},
              {"filter": "color = ", "properties": {}},
              {"filter": "sys.Nope = 1"},
              {"filter": "sys.SequenceNumber > 10 AND sys.EnqueuedTimeUtc > sys.ScheduledEnqueueTimeUtc", "system": {"SequenceNumber": 11, "EnqueuedTimeUtc": "2026-03-01T10:00:00Z", "ScheduledEnqueueTimeUtc": "2026-03-01T09:00:00Z"}},
              {"filter": "1=1", "system": {"Colour": "x"}}
            ]
            """);
        try
        {
            var results = JArray.Parse(FilterCaseEvaluator.EvaluateCases(File.ReadAllText(path)));

            Assert.AreEqual(7, results.Count);
            Assert.IsTrue(results[0].Value<bool>("match"));
            Assert.IsTrue(results[1].Value<bool>("match"));
            Assert.IsFalse(results[2].Value<bool>("match"));
            StringAssert.Contains(results[3].Value<string>("error"), "column 9");
            StringAssert.Contains(results[4].Value<string>("error"), "sys.Nope");
            Assert.IsTrue(results[5].Value<bool>("match"));
            StringAssert.Contains(results[6].Value<string>("error"), "not a system property");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    [DataRow("{}")]
    [DataRow("not json")]
    public void A_file_that_is_not_a_json_array_is_a_format_error(string json) =>
        Assert.ThrowsExactly<FormatException>(() => FilterCaseEvaluator.EvaluateCases(json));

    [TestMethod]
    [DataRow("properties", "\"notobj\"", "string \"notobj\"")]
    [DataRow("system", "[1]", "array [1]")]
    public void Properties_that_are_not_an_object_are_the_case_s_error_not_an_empty_message(string member, string value, string named)
    {
        var results = JArray.Parse(FilterCaseEvaluator.EvaluateCases($$$"""[{"filter": "1=1", "{{{member}}}": {{{value}}}}, {"filter": "1=1", "{{{member}}}": null}]"""));

        StringAssert.Contains((string?)results[0]["error"], $"The case's \"{member}\" must be an object");
        StringAssert.Contains((string?)results[0]["error"], named);
        Assert.IsTrue((bool)results[1]["match"]!, "null stays 'none'");
    }

    [TestMethod]
    public void A_case_that_is_not_an_object_gets_its_own_error_and_the_others_are_still_evaluated()
    {
        var results = Newtonsoft.Json.Linq.JArray.Parse(FilterCaseEvaluator.EvaluateCases("""[1, {"filter": "a = 1", "properties": {"a": 1}}]"""));

        Assert.HasCount(2, results);
        StringAssert.Contains((string?)results[0]["error"], "Case 0 is not an object");
        Assert.IsTrue((bool)results[1]["match"]!);
    }
}
