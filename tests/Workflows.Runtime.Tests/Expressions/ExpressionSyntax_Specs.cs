using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class ExpressionSyntax_Specs
{
    [TestMethod]
    public void Integer_literals_are_64_bit_and_literals_with_a_point_or_exponent_are_floats()
    {
        var big = Wdl.Eval("add(9000000000, 1)");
        Assert.AreEqual(JTokenType.Integer, big.Type);
        Assert.AreEqual(9000000001L, (long)big);
        Assert.AreEqual(JTokenType.Float, Wdl.Eval("add(1, 1.0)").Type);
        Assert.AreEqual(1500.0, (double)Wdl.Eval("add(1.5e3, 0)"));
        Assert.AreEqual(0.3, (double)Wdl.Eval("add(.3, 0)"), 1e-12);
        Assert.AreEqual(-3L, (long)Wdl.Eval("add(-5, +2)"));
    }

    [TestMethod]
    public void Keywords_and_function_names_are_case_insensitive()
    {
        Assert.IsTrue((bool)Wdl.Eval("AND(TRUE, True)"));
        Assert.AreEqual(JTokenType.Null, Wdl.Eval("coalesce(NULL, Null)").Type);
        Assert.AreEqual("abc", Wdl.Text("TOLOWER('ABC')"));
    }

    [TestMethod]
    public void A_doubled_single_quote_is_a_quote_inside_a_string_literal()
    {
        Assert.AreEqual("It's 'quoted'", Wdl.Text("concat('It''s ''quoted''')"));
        Assert.AreEqual("", Wdl.Text("concat('')"));
    }

    [TestMethod]
    public void Double_quoted_strings_bare_words_and_operators_do_not_parse()
    {
        Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("length(\"Hello\")"));
        Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("length(hello)"));
        Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("add(1, 2) + 3"));
        Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("first([1, 2])"));
        Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse(""));
    }

    [TestMethod]
    public void A_question_mark_must_be_followed_by_a_selection()
    {
        Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("triggerBody()?"));
        Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("triggerBody()?x"));
    }

    [TestMethod]
    public void Dot_bracket_and_index_selections_chain_after_a_call()
    {
        const string context = """{"parameters": {"order": {"lines": [{"sku": "A-1"}, {"sku": "B-2"}], "my key": 7}}}""";
        Assert.AreEqual("B-2", Wdl.Text("parameters('order').lines[1].sku", context));
        Assert.AreEqual("A-1", Wdl.Text("parameters('order')['lines'][0]['sku']", context));
        Assert.AreEqual(7L, (long)Wdl.Eval("parameters('order')['my key']", context));
        Assert.AreEqual("B-2", Wdl.Text("parameters('order').lines[add(0, 1)].sku", context));
    }

    [TestMethod]
    public void Property_names_match_exactly_first_then_ignoring_case()
    {
        const string context = """{"parameters": {"p": {"Name": "upper", "name": "lower", "Only": 1}}}""";
        Assert.AreEqual("upper", Wdl.Text("parameters('p').Name", context));
        Assert.AreEqual("lower", Wdl.Text("parameters('p').name", context));
        Assert.AreEqual(1L, (long)Wdl.Eval("parameters('p').only", context));
    }

    [TestMethod]
    public void A_slash_path_in_one_bracket_walks_nested_properties()
    {
        const string context = """{"trigger": {"outputs": {"body": {"value": [1, 2]}}}}""";
        Wdl.AreJsonEqual("[1, 2]", Wdl.Eval("triggerOutputs()?['body/value']", context));
    }

    [TestMethod]
    public void The_null_safe_operator_turns_missing_properties_and_null_targets_into_null()
    {
        const string context = """{"parameters": {"p": {"a": null, "list": [1]}}}""";
        Assert.AreEqual(JTokenType.Null, Wdl.Eval("parameters('p')?['missing']", context).Type);
        Assert.AreEqual(JTokenType.Null, Wdl.Eval("parameters('p')?.a?.b?.c", context).Type);
        Assert.AreEqual(JTokenType.Null, Wdl.Eval("parameters('p')?['list']?[5]", context).Type);
    }

    [TestMethod]
    public void Without_the_null_safe_operator_missing_properties_and_null_targets_fail()
    {
        const string context = """{"parameters": {"p": {"a": null, "list": [1]}}}""";
        StringAssert.Contains(Wdl.Error("parameters('p').missing", context), "property 'missing' doesn't exist, available properties are 'a, list'");
        StringAssert.Contains(Wdl.Error("parameters('p').a.b", context), "values of type 'Null'");
        StringAssert.Contains(Wdl.Error("parameters('p').list[3]", context), "array index '3' is outside bounds");
        StringAssert.Contains(Wdl.Error("parameters('p')?.a.b", context), "property 'b' cannot be selected");
    }

    [TestMethod]
    public void Selecting_a_property_of_a_string_or_number_fails()
    {
        StringAssert.Contains(Wdl.Error("concat('a').length"), "values of type 'String'");
        StringAssert.Contains(Wdl.Error("createArray(1)['x']"), "integer index");
    }

    [TestMethod]
    public void A_parsed_expression_lists_its_functions_and_literal_first_arguments()
    {
        var expression = WdlExpression.Parse("concat(parameters('ordersTopicName'), body('Parse_message')?['id'], variables(concat('a', 'b')), utcNow())");
        CollectionAssert.AreEquivalent(new[] { "concat", "parameters", "body", "variables", "utcNow" }, expression.FunctionNames.ToArray());
        var calls = expression.Calls.ToList();
        Assert.IsTrue(calls.Any(c => c.Function == "parameters" && (string?)c.FirstArgument == "ordersTopicName"));
        Assert.IsTrue(calls.Any(c => c.Function == "body" && (string?)c.FirstArgument == "Parse_message"));
        Assert.IsTrue(calls.Any(c => c.Function == "variables" && c.FirstArgument is null));
        Assert.AreEqual("utcNow", WdlExpression.Parse("UTCNOW()").FunctionNames.Single(), "names are reported in Microsoft's spelling");
    }

    [TestMethod]
    public void The_same_text_is_parsed_once()
    {
        Assert.AreSame(WdlExpression.Parse("concat('cache', 'me')"), WdlExpression.Parse("concat('cache', 'me')"));
    }

    [TestMethod]
    public void Expressions_longer_than_8192_characters_are_rejected()
    {
        var longLiteral = new string('x', 8200);
        var error = Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse($"concat('{longLiteral}')"));
        StringAssert.Contains(error.Message, "8192");
        Assert.AreEqual(8000, Wdl.Text($"concat('{new string('x', 8000)}')").Length);
    }

    [TestMethod]
    public void Literal_results_are_fresh_values_each_time()
    {
        var expression = WdlExpression.Parse("createArray('a')");
        var first = (JArray)expression.Evaluate(Wdl.Scope(null));
        first.Add("mutated by a caller");
        Assert.AreEqual(1, ((JArray)expression.Evaluate(Wdl.Scope(null))).Count);
    }
}
