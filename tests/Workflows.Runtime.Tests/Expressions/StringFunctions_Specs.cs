using System.Text.RegularExpressions;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class StringFunctions_Specs
{
    [TestMethod]
    public void Concat_writes_non_string_arguments_as_text()
    {
        Assert.AreEqual("ab1True{\"x\":1}", Wdl.Text("concat('a', 'b', 1, true, json('{\"x\":1}'))"));
        Assert.AreEqual("a", Wdl.Text("concat('a', null)"));
    }

    [TestMethod]
    public void IndexOf_startsWith_and_endsWith_ignore_case()
    {
        Assert.AreEqual(6L, (long)Wdl.Eval("indexOf('hello WORLD', 'world')"));
        Assert.AreEqual(-1L, (long)Wdl.Eval("indexOf('hello', 'z')"));
        Assert.IsTrue((bool)Wdl.Eval("startsWith('Hello', 'hE')"));
        Assert.IsTrue((bool)Wdl.Eval("endsWith('Hello', 'LLO')"));
    }

    [TestMethod]
    public void LastIndexOf_follows_the_documented_empty_string_rules()
    {
        Assert.AreEqual(4L, (long)Wdl.Eval("lastIndexOf('hello', '')"));
        Assert.AreEqual(-1L, (long)Wdl.Eval("lastIndexOf('', 'a')"));
        Assert.AreEqual(0L, (long)Wdl.Eval("lastIndexOf('', '')"));
        Assert.AreEqual(3L, (long)Wdl.Eval("lastIndexOf('FooFOO', 'foo')"));
    }

    [TestMethod]
    public void NthIndexOf_counts_from_the_start_or_with_a_negative_occurrence_from_the_end()
    {
        Assert.AreEqual(9L, (long)Wdl.Eval("nthIndexOf('123456789123465789', '1', 2)"));
        Assert.AreEqual(9L, (long)Wdl.Eval("nthIndexOf('123456789123465789', '1', -1)"));
        Assert.AreEqual(0L, (long)Wdl.Eval("nthIndexOf('123456789123465789', '1', -2)"));
        Assert.AreEqual(-1L, (long)Wdl.Eval("nthIndexOf('123456789123465789', '1', 3)"));
    }

    [TestMethod]
    public void Replace_is_case_sensitive_and_replaces_every_occurrence()
    {
        Assert.AreEqual("b-b-B", Wdl.Text("replace('a-a-B', 'a', 'b')"));
        Assert.AreEqual("a-a-B", Wdl.Text("replace('a-a-B', 'A', 'b')"));
    }

    [TestMethod]
    public void Substring_fails_when_start_plus_length_passes_the_end()
    {
        Assert.AreEqual("ell", Wdl.Text("substring('hello', 1, 3)"));
        Assert.AreEqual("", Wdl.Text("substring('hello', 5)"));
        StringAssert.Contains(Wdl.Error("substring('hello', 3, 5)"), "'substring'");
        StringAssert.Contains(Wdl.Error("substring('hello', -1, 2)"), "out of range");
    }

    [TestMethod]
    public void Slice_counts_negative_indexes_from_the_end_like_javascript()
    {
        Assert.AreEqual("World", Wdl.Text("slice('Hello World', -5)"));
        Assert.AreEqual("", Wdl.Text("slice('Hello World', 20)"));
        Assert.AreEqual("Hello", Wdl.Text("slice('Hello World', -50, 5)"));
    }

    [TestMethod]
    public void Split_and_chunk_cut_text_into_arrays()
    {
        Wdl.AreJsonEqual("""["a", "", "b"]""", Wdl.Eval("split('a,,b', ',')"));
        Wdl.AreJsonEqual("""["ab", "cd", "e"]""", Wdl.Eval("chunk('abcde', 2)"));
        StringAssert.Contains(Wdl.Error("chunk('abc', 0)"), "'chunk'");
    }

    [TestMethod]
    public void Case_functions_are_culture_invariant_and_trim_strips_whitespace()
    {
        Assert.AreEqual("TITLE Ä", Wdl.Text("toUpper('title ä')"));
        Assert.AreEqual("istanbul", Wdl.Text("toLower('ISTANBUL')"));
        Assert.AreEqual("x y", Wdl.Text("trim('\t x y \n')"));
    }

    [TestMethod]
    public void Length_counts_characters_or_items_and_rejects_other_values()
    {
        Assert.AreEqual(3L, (long)Wdl.Eval("length('abc')"));
        Assert.AreEqual(2L, (long)Wdl.Eval("length(createArray(1, 2))"));
        StringAssert.Contains(Wdl.Error("length(json('{}'))"), "type 'Object'");
        StringAssert.Contains(Wdl.Error("length(null)"), "type 'Null'");
    }

    [TestMethod]
    public void IsInt_and_isFloat_report_whether_text_converts()
    {
        Assert.IsTrue((bool)Wdl.Eval("isInt('-42')"));
        Assert.IsFalse((bool)Wdl.Eval("isInt('1.5')"));
        Assert.IsFalse((bool)Wdl.Eval("isInt('abc')"));
        Assert.IsTrue((bool)Wdl.Eval("isFloat('10,000.00')"));
        Assert.IsTrue((bool)Wdl.Eval("isFloat('10.000,00', 'de-DE')"));
        Assert.IsFalse((bool)Wdl.Eval("isFloat('ten')"));
    }

    [TestMethod]
    public void FormatNumber_uses_dotnet_formats_and_cultures()
    {
        Assert.AreEqual("1,234,567.89", Wdl.Text("formatNumber(1234567.891, '#,##0.00')"));
        Assert.AreEqual("$17.35", Wdl.Text("formatNumber(17.35, 'C2')"));
        Assert.AreEqual("1.234.567.890,00", Wdl.Text("formatNumber(1234567890, '#,##0.00', 'is-IS')"));
        Assert.AreEqual("50 %", Wdl.Text("formatNumber(0.5, 'P0', 'de-DE')").Replace('\u00A0', ' '));
        StringAssert.Contains(Wdl.Error("formatNumber(1, 'N2', 'no-such-culture-x')"), "locale");
    }

    [TestMethod]
    public void Guid_writes_the_requested_format_and_uses_the_scope_randomness()
    {
        Assert.IsTrue(Regex.IsMatch(Wdl.Text("guid()"), "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        Assert.IsTrue(Regex.IsMatch(Wdl.Text("guid('N')"), "^[0-9a-f]{32}$"));
        Assert.IsTrue(Regex.IsMatch(Wdl.Text("guid('B')"), "^\\{.{36}\\}$"));
        StringAssert.Contains(Wdl.Error("guid('Q')"), "'guid'");

        var expression = WdlExpression.Parse("guid()");
        var first = expression.Evaluate(StaticExpressionScope.FromContext(null, new Random(7)));
        var second = expression.Evaluate(StaticExpressionScope.FromContext(null, new Random(7)));
        Assert.AreEqual((string)first!, (string)second!);
    }
}
