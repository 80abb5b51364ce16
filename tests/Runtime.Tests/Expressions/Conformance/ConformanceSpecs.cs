using System.Text;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions.Conformance;

[TestClass]
public sealed class ConformanceSpecs
{
    [TestMethod]
    public void Every_case_of_the_shared_conformance_file_gives_the_expected_value_or_error()
    {
        var cases = ConformanceCaseFile.Load();
        Assert.AreEqual(242, cases.Count, "The conformance file should hold 242 cases.");

        var failures = new StringBuilder();
        var failed = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var testCase = (JObject)cases[i];
            var problem = Check(testCase);
            if (problem is null) continue;
            failed++;
            failures.AppendLine($"#{i} [{testCase["kind"]}] {testCase["expression"]}{(testCase["compare"] is { } c ? $" (compare: {c})" : "")}: {problem}");
        }

        if (failed > 0)
            Assert.Fail($"{failed} of {cases.Count} conformance cases fail ({cases.Count - failed} pass):{Environment.NewLine}{failures}");
    }

    private static string? Check(JObject testCase)
    {
        var kind = (string)testCase["kind"]!;
        var expression = (string)testCase["expression"]!;
        var expectsError = testCase["error"]?.Type == JTokenType.Boolean && (bool)testCase["error"]!;
        JToken actual;
        try
        {
            var scope = StaticExpressionScope.FromContext(testCase["context"] as JObject);
            actual = kind == "template"
                ? WdlTemplate.Evaluate(new JValue(expression), scope)
                : WdlExpression.Parse(expression).Evaluate(scope);
        }
        catch (WdlExpressionException ex)
        {
            return expectsError ? null : $"expected {Show(testCase["expected"])} but failed: {ex.Message}";
        }
        catch (Exception ex)
        {
            return $"crashed with {ex.GetType().Name} instead of a template language error: {ex.Message}";
        }

        if (expectsError) return $"expected an error but got {Show(actual)}";
        return ConformanceComparer.Matches(testCase["expected"]!, actual, (string?)testCase["compare"])
            ? null
            : $"expected {Show(testCase["expected"])} but got {Show(actual)}";
    }

    private static string Show(JToken? token) => token?.ToString(Newtonsoft.Json.Formatting.None) ?? "(nothing)";
}
