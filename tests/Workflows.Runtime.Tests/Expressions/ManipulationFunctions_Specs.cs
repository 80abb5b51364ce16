using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class ManipulationFunctions_Specs
{
    private const string Context = """{"parameters": {"customer": {"name": "Sophia", "address": {"city": "Seattle"}}}}""";

    [TestMethod]
    public void Property_functions_return_changed_copies_and_leave_the_input_alone()
    {
        var scope = Wdl.Scope(Context);
        Wdl.AreJsonEqual("""{"name":"Sophia","address":{"city":"Seattle"},"age":42}""",
            Workflows.Runtime.Expressions.WdlExpression.Parse("addProperty(parameters('customer'), 'age', 42)").Evaluate(scope));
        Wdl.AreJsonEqual("""{"name":"Ann","address":{"city":"Seattle"}}""",
            Workflows.Runtime.Expressions.WdlExpression.Parse("setProperty(parameters('customer'), 'name', 'Ann')").Evaluate(scope));
        Wdl.AreJsonEqual("""{"address":{"city":"Seattle"}}""",
            Workflows.Runtime.Expressions.WdlExpression.Parse("removeProperty(parameters('customer'), 'name')").Evaluate(scope));
        Wdl.AreJsonEqual("""{"name":"Sophia","address":{"city":"Seattle"}}""", scope.Parameter("customer"));
    }

    [TestMethod]
    public void Nested_properties_change_by_composing_the_functions()
    {
        Wdl.AreJsonEqual("""{"name":"Sophia","address":{"city":"Seattle","zip":"98052"}}""",
            Wdl.Eval("setProperty(parameters('customer'), 'address', addProperty(parameters('customer')['address'], 'zip', '98052'))", Context));
    }

    [TestMethod]
    public void AddProperty_fails_when_the_property_exists()
    {
        StringAssert.Contains(Wdl.Error("addProperty(parameters('customer'), 'name', 'x')", Context), "'name' because it already exists");
        StringAssert.Contains(Wdl.Error("setProperty('text', 'a', 1)"), "expects its first parameter to be an object");
    }

    [TestMethod]
    public void Coalesce_returns_the_first_value_that_is_not_null()
    {
        Assert.AreEqual("", Wdl.Text("coalesce(null, '', 'x')"));
        Wdl.AreJsonEqual("[]", Wdl.Eval("coalesce(null, json('[]'))"));
        Assert.AreEqual(JTokenType.Null, Wdl.Eval("coalesce(null, null)").Type);
    }

    private const string Produce = """{"parameters": {"x": "<produce><item><name expired='true'>Gala</name><count>20</count></item><item><name>Honeycrisp</name><count>10</count></item></produce>"}}""";

    [TestMethod]
    public void Xpath_returns_node_sets_as_arrays_text_as_strings_and_elements_as_xml()
    {
        Wdl.AreJsonEqual("""["Gala","Honeycrisp"]""", Wdl.Eval("xpath(xml(parameters('x')), '/produce/item/name/text()')", Produce));
        Wdl.AreJsonEqual("""["true"]""", Wdl.Eval("xpath(xml(parameters('x')), '//name/@expired')", Produce));
        var elements = (JArray)Wdl.Eval("xpath(xml(parameters('x')), '//name[@expired]')", Produce);
        Assert.AreEqual(1, elements.Count);
        Assert.AreEqual("application/xml;charset=utf-8", (string)elements[0]["$content-type"]!);
        Assert.AreEqual("<name expired=\"true\">Gala</name>", Wdl.Text("string(first(xpath(xml(parameters('x')), '//name[@expired]')))", Produce));
    }

    [TestMethod]
    public void Xpath_functions_return_numbers_strings_and_booleans()
    {
        Assert.AreEqual(30.0, (double)Wdl.Eval("xpath(xml(parameters('x')), 'sum(/produce/item/count)')", Produce));
        Assert.AreEqual("Gala", Wdl.Text("xpath(xml(parameters('x')), 'string(/produce/item/name)')", Produce));
        Assert.IsTrue((bool)Wdl.Eval("xpath(xml(parameters('x')), 'count(//item) = 2')", Produce));
    }

    [TestMethod]
    public void Xpath_reports_bad_paths_and_bad_xml()
    {
        StringAssert.Contains(Wdl.Error("xpath(xml(parameters('x')), '/produce/[')", Produce), "'xpath'");
        StringAssert.Contains(Wdl.Error("xpath('<broken', '/a')"), "'xpath'");
    }
}
