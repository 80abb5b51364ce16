using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

/// <summary>Errors read like Microsoft's: they name the function or the expression and say what is wrong.</summary>
[TestClass]
public sealed class ErrorMessages_Specs
{
    [TestMethod]
    public void An_unknown_function_is_named_in_a_parse_error()
    {
        var error = Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("foo(1)"));
        Assert.AreEqual("The template language expression 'foo(1)' is not valid: the template function 'foo' is not defined or not valid.", error.Message);
    }

    [TestMethod]
    public void Functions_Microsoft_does_not_have_are_unknown()
    {
        foreach (var name in new[] { "abs", "ceil", "floor", "round", "ge", "le" })
            StringAssert.Contains(Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse($"{name}(1)")).Message, $"'{name}' is not defined");
    }

    [TestMethod]
    public void A_wrong_number_of_arguments_is_a_parse_error_naming_the_function()
    {
        StringAssert.Contains(Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("length('a', 'b')")).Message, "function 'length' expects one parameter");
        StringAssert.Contains(Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("substring('a')")).Message, "function 'substring' expects between two and three parameters");
        StringAssert.Contains(Assert.ThrowsExactly<WdlParseException>(() => WdlExpression.Parse("utcNow('o', 'x')")).Message, "'utcNow'");
    }

    [TestMethod]
    public void A_wrong_argument_type_names_the_function_the_position_and_the_type()
    {
        Assert.AreEqual(
            "The template language function 'add' expects its second parameter to be an integer or a decimal number. The provided value is of type 'String'. Please see https://aka.ms/logicexpressions#add for usage details.",
            Wdl.Error("add(1, 'a')"));
        StringAssert.Contains(Wdl.Error("split(null, ',')"), "The template language function 'split' expects its first parameter to be of type string. The provided value is of type 'Null'.");
    }

    [TestMethod]
    public void Conversion_failures_use_the_invalid_parameter_wording()
    {
        StringAssert.StartsWith(Wdl.Error("int('abc')"), "The template language function 'int' was invoked with a parameter that is not valid.");
    }

    [TestMethod]
    public void Division_by_zero_names_div()
    {
        StringAssert.StartsWith(Wdl.Error("div(10, 0)"), "The template language function 'div' cannot divide by zero");
    }

    [TestMethod]
    public void A_missing_property_lists_the_available_ones_and_quotes_the_expression()
    {
        Assert.AreEqual(
            "The template language expression 'json('{\"a\":1,\"b\":2}').c' cannot be evaluated because property 'c' doesn't exist, available properties are 'a, b'. Please see https://aka.ms/logicexpressions for usage details.",
            Wdl.Error("json('{\"a\":1,\"b\":2}').c"));
    }

    [TestMethod]
    public void Evaluation_errors_are_never_raw_dotnet_exceptions()
    {
        foreach (var expression in new[] { "json('[1')", "xml(5)", "base64ToString('%%%')", "addDays('2018-01-01', 999999999)", "take('abc', -1)", "createArray(1)[json('1.5')]" })
            Assert.IsInstanceOfType<WdlEvaluationException>(Assert.Throws<WdlExpressionException>(() => Wdl.Eval(expression)), expression);
    }
}
