using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

/// <summary>The core of <c>orders wdl eval --cases FILE</c>.</summary>
[TestClass]
public sealed class WdlEvalCommand_Specs
{
    [TestMethod]
    public void Each_case_gives_a_value_or_an_error_in_the_same_order_and_nothing_else_is_printed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """
                [
                  {"kind": "expression", "expression": "add(1, 2)", "expected": 3, "source": "ignored"},
                  {"kind": "template", "expression": "Hi @{parameters('name')}", "context": {"parameters": {"name": "Ann"}}},
                  {"kind": "expression", "expression": "div(1, 0)"},
                  {"kind": "template", "expression": "@json('[1,2]')"}
                ]
                """);
            var stdout = new StringWriter();
            var stderr = new StringWriter();

            var exit = WdlCaseRunner.Run(file, stdout, stderr);

            Assert.AreEqual(0, exit);
            Assert.AreEqual("", stderr.ToString());
            var results = JArray.Parse(stdout.ToString());
            Assert.AreEqual(4, results.Count);
            Wdl.AreJsonEqual("""{"value": 3}""", results[0]);
            Wdl.AreJsonEqual("""{"value": "Hi Ann"}""", results[1]);
            StringAssert.Contains((string)results[2]["error"]!, "'div'");
            Wdl.AreJsonEqual("""{"value": [1, 2]}""", results[3]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void A_missing_file_or_bad_json_is_reported_on_stderr_with_exit_code_2()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.AreEqual(2, WdlCaseRunner.Run(Path.Combine(Path.GetTempPath(), "no-such-cases-file.json"), stdout, stderr));
        Assert.AreEqual("", stdout.ToString());
        StringAssert.Contains(stderr.ToString(), "no-such-cases-file.json");

        stderr = new StringWriter();
        Assert.AreEqual(2, WdlCaseRunner.RunText("{ not json", "inline", stdout, stderr));
        Assert.AreEqual("", stdout.ToString());
        StringAssert.Contains(stderr.ToString(), "inline");
    }

    [TestMethod]
    public void A_malformed_case_gets_its_own_error_and_the_output_keeps_the_input_length_and_order()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = WdlCaseRunner.RunText("""[{"kind": "expression"}, {"kind": "sql", "expression": "1"}, {"kind": "expression", "expression": "add(1, 2)"}]""", "inline", stdout, stderr);

        Assert.AreEqual(0, exit);
        var results = Newtonsoft.Json.Linq.JArray.Parse(stdout.ToString());
        Assert.HasCount(3, results);
        StringAssert.Contains((string?)results[0]["error"], "case 0: needs an 'expression' string");
        StringAssert.Contains((string?)results[1]["error"], "case 1: kind 'sql'");
        Assert.AreEqual(3L, (long)results[2]["value"]!);
    }
}
