using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class TemplateSyntax_Specs
{
    private const string Context = """{"parameters": {"age": 42, "price": 2.5, "flag": true, "customer": {"name": "Sophia", "tags": ["a"]}, "nothing": null}}""";

    [TestMethod]
    public void A_value_that_is_one_expression_keeps_the_type_of_the_result()
    {
        Assert.AreEqual(JTokenType.Integer, Wdl.Template("@parameters('age')", Context).Type);
        Assert.AreEqual(JTokenType.Boolean, Wdl.Template("@parameters('flag')", Context).Type);
        Wdl.AreJsonEqual("""{"name":"Sophia","tags":["a"]}""", Wdl.Template("@parameters('customer')", Context));
    }

    [TestMethod]
    public void Interpolation_always_yields_text_even_when_it_is_the_whole_value()
    {
        Assert.AreEqual("42", (string)Wdl.Template("@{parameters('age')}", Context)!);
        Assert.AreEqual(JTokenType.String, Wdl.Template("@{parameters('flag')}", Context).Type);
    }

    [TestMethod]
    public void Interpolated_values_are_written_with_the_runtime_text_rules()
    {
        Assert.AreEqual("null:, bool:True, float:2.5, object:{\"name\":\"Sophia\",\"tags\":[\"a\"]}",
            (string)Wdl.Template("null:@{parameters('nothing')}, bool:@{parameters('flag')}, float:@{parameters('price')}, object:@{parameters('customer')}", Context)!);
        Assert.AreEqual("False", (string)Wdl.Template("@{equals(1, 2)}")!);
        Assert.AreEqual("0.30000000000000004", (string)Wdl.Template("@{add(0.1, 0.2)}")!);
    }

    [TestMethod]
    public void Interpolated_decimals_keep_all_their_digits()
    {
        Assert.AreEqual("1.2345678912312131", (string)Wdl.Template("@{decimal('1.2345678912312131')}")!);
    }

    [TestMethod]
    public void A_leading_double_at_sign_escapes_the_whole_value()
    {
        Assert.AreEqual("@", (string)Wdl.Template("@@")!);
        Assert.AreEqual("@concat('a')", (string)Wdl.Template("@@concat('a')")!);
        Assert.AreEqual("@{x} and @{y}", (string)Wdl.Template("@@{x} and @{y}")!);
    }

    [TestMethod]
    public void An_escaped_interpolation_opener_inside_text_is_written_literally()
    {
        Assert.AreEqual("age @{parameters('age')} is 42", (string)Wdl.Template("age @@{parameters('age')} is @{parameters('age')}", Context)!);
    }

    [TestMethod]
    public void An_at_sign_that_does_not_start_the_value_or_an_interpolation_is_text()
    {
        Assert.IsFalse(WdlTemplate.IsTemplate("someone@contoso.com"));
        Assert.IsFalse(WdlTemplate.IsTemplate(" @concat('a')"));
        Assert.IsTrue(WdlTemplate.IsTemplate("@concat('a')"));
        Assert.IsTrue(WdlTemplate.IsTemplate("x@{1}"));
        Assert.AreEqual("mail someone@contoso.com", (string)Wdl.Template("mail someone@contoso.com")!);
    }

    [TestMethod]
    public void A_closing_brace_inside_a_quoted_literal_does_not_end_the_interpolation()
    {
        Assert.AreEqual("{a} b", (string)Wdl.Template("@{concat('{a}', ' b')}")!);
        Assert.AreEqual("it's}", (string)Wdl.Template("@{concat('it''s', '}')}")!);
    }

    [TestMethod]
    public void An_unterminated_interpolation_is_a_parse_error()
    {
        Assert.ThrowsExactly<WdlParseException>(() => Wdl.Template("before @{concat('a') after"));
    }

    [TestMethod]
    public void Objects_and_arrays_are_evaluated_recursively()
    {
        var definition = Wdl.Json("""{"a": "@parameters('age')", "b": ["x", "@{parameters('age')}"], "c": {"d": 1, "e": "@@e"}}""");
        var result = WdlTemplate.Evaluate(definition, Wdl.Scope(Context));
        Wdl.AreJsonEqual("""{"a": 42, "b": ["x", "42"], "c": {"d": 1, "e": "@e"}}""", result);
        Assert.AreEqual("@parameters('age')", (string)definition["a"]!, "the definition itself is not changed");
    }

    [TestMethod]
    public void Values_without_expressions_are_returned_as_they_are_without_copying()
    {
        var definition = Wdl.Json("""{"a": "plain", "b": [1, 2, {"c": "text"}]}""");
        Assert.AreSame(definition, WdlTemplate.Evaluate(definition, Wdl.Scope(null)));
        var mixed = Wdl.Json("""{"static": {"deep": [1, 2]}, "dynamic": "@add(1, 1)"}""");
        var result = WdlTemplate.Evaluate(mixed, Wdl.Scope(null));
        Assert.AreNotSame(mixed, result);
        Wdl.AreJsonEqual("""{"static": {"deep": [1, 2]}, "dynamic": 2}""", result);
    }

    [TestMethod]
    public void ParseAll_returns_every_expression_in_a_definition_value()
    {
        var expressions = WdlTemplate.ParseAll(Wdl.Json("""{"a": "@body('Parse')?['id']", "b": ["id @{parameters('topic')} at @{utcNow()}"], "c": "@@literal", "d": 5}"""));
        CollectionAssert.AreEqual(new[] { "body('Parse')?['id']", "parameters('topic')", "utcNow()" }, expressions.Select(e => e.Text).ToArray());
    }

    [TestMethod]
    public void ParseAll_names_the_expression_that_does_not_parse()
    {
        var error = Assert.ThrowsExactly<WdlParseException>(() => WdlTemplate.ParseAll(Wdl.Json("""{"ok": "@utcNow()", "bad": "@{concat('a'}"}""")));
        StringAssert.Contains(error.Message, "concat('a'");
    }
}
