using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class ConversionFunctions_Specs
{
    [TestMethod]
    public void Binary_functions_return_content_envelopes()
    {
        Wdl.AreJsonEqual("""{"$content-type":"application/octet-stream","$content":"aGVsbG8="}""", Wdl.Eval("base64ToBinary('aGVsbG8=')"));
        Wdl.AreJsonEqual("""{"$content-type":"application/octet-stream","$content":"aGVsbG8="}""", Wdl.Eval("binary('hello')"));
        Wdl.AreJsonEqual("""{"$content-type":"text/plain;charset=utf-8","$content":"aGVsbG8="}""", Wdl.Eval("dataUriToBinary('data:text/plain;charset=utf-8;base64,aGVsbG8=')"));
        Wdl.AreJsonEqual("""{"$content-type":"application/octet-stream","$content":"aHR0cHM6Ly9jb250b3NvLmNvbQ=="}""", Wdl.Eval("uriComponentToBinary('https%3A%2F%2Fcontoso.com')"));
    }

    [TestMethod]
    public void Binary_content_reads_back_as_its_text_and_base64()
    {
        Assert.AreEqual("hello", Wdl.Text("string(binary('hello'))"));
        Assert.AreEqual("aGVsbG8=", Wdl.Text("base64(binary('hello'))"));
        Assert.AreEqual("hello", Wdl.Text("base64ToString(base64ToBinary('aGVsbG8='))"));
        Assert.AreEqual("x hello", (string)Wdl.Template("x @{binary('hello')}")!);
    }

    [TestMethod]
    public void Data_uris_round_trip_text()
    {
        Assert.AreEqual("data:text/plain;charset=utf-8;base64,aGVsbG8=", Wdl.Text("dataUri('hello')"));
        Assert.AreEqual("hello", Wdl.Text("dataUriToString(dataUri('hello'))"));
        Assert.AreEqual("hello world", Wdl.Text("decodeDataUri('data:,hello%20world')"));
        StringAssert.Contains(Wdl.Error("dataUriToString('hello')"), "not a valid data URI");
    }

    [TestMethod]
    public void Uri_components_are_percent_encoded_with_space_as_percent_20()
    {
        Assert.AreEqual("You%20Are%3ACool%2FAwesome", Wdl.Text("uriComponent('You Are:Cool/Awesome')"));
        Assert.AreEqual("a b+c", Wdl.Text("decodeUriComponent('a%20b+c')"));
    }

    [TestMethod]
    public void Int_parses_whole_numbers_only()
    {
        Assert.AreEqual(-12L, (long)Wdl.Eval("int('-12')"));
        Assert.AreEqual(3L, (long)Wdl.Eval("int(3.0)"));
        StringAssert.Contains(Wdl.Error("int('1.5')"), "The template language function 'int' was invoked with a parameter that is not valid");
        StringAssert.Contains(Wdl.Error("int('9999999999999999999')"), "'int'");
    }

    [TestMethod]
    public void Float_accepts_the_documented_unusual_inputs_and_cultures()
    {
        Assert.AreEqual(12345678.0, (double)Wdl.Eval("float('12,3,4,5678')"));
        Assert.AreEqual(-12345678.0, (double)Wdl.Eval("float('12345,6,78,-')"));
        Assert.AreEqual(10000.333, (double)Wdl.Eval("float('10.000,333', 'de-DE')"), 1e-9);
        StringAssert.Contains(Wdl.Error("float('abc')"), "'float'");
        StringAssert.Contains(Wdl.Error("float('1', 'xx-invalid')"), "locale");
    }

    [TestMethod]
    public void Bool_converts_numbers_and_true_false_text_only()
    {
        Assert.IsTrue((bool)Wdl.Eval("bool(-1)"));
        Assert.IsFalse((bool)Wdl.Eval("bool(0.0)"));
        Assert.IsTrue((bool)Wdl.Eval("bool('TRUE')"));
        StringAssert.Contains(Wdl.Error("bool('yes')"), "'bool'");
    }

    [TestMethod]
    public void Json_parses_leniently_like_newtonsoft_and_keeps_date_text_as_text()
    {
        Wdl.AreJsonEqual("""{"a":1,"b":[1,2]}""", Wdl.Eval("json('{''a'': 1, /* note */ \"b\": [1,2,],}')"));
        var date = Wdl.Eval("json('{\"at\":\"2018-03-15T13:27:36Z\"}').at");
        Assert.AreEqual(JTokenType.String, date.Type);
        Assert.AreEqual("2018-03-15T13:27:36Z", (string)date!);
        StringAssert.Contains(Wdl.Error("json('{\"a\":1} trailing')"), "'json'");
        Wdl.AreJsonEqual("{}", Wdl.Eval("json(null)"));
    }

    [TestMethod]
    public void Xml_and_json_convert_with_newtonsoft_conventions()
    {
        Wdl.AreJsonEqual("""{"root":{"a":[{"@x":"1","#text":"t"},"u"]}}""", Wdl.Eval("json(xml('<root><a x=\"1\">t</a><a>u</a></root>'))"));
        Assert.AreEqual("<r id=\"5\"><v>1</v><v>2</v></r>", Wdl.Text("string(xml(json('{\"r\":{\"@id\":\"5\",\"v\":[1,2]}}')))"));
        Assert.AreEqual("application/xml;charset=utf-8", (string)Wdl.Eval("xml('<a/>')")["$content-type"]!);
        StringAssert.Contains(Wdl.Error("xml(json('{\"a\":1,\"b\":2}'))"), "one root property");
        StringAssert.Contains(Wdl.Error("xml('<unclosed>')"), "'xml'");
    }

    [TestMethod]
    public void Xml_refuses_document_type_definitions()
    {
        StringAssert.Contains(Wdl.Error("xml('<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>')"), "'xml'");
    }

    [TestMethod]
    public void Array_and_createArray_wrap_values()
    {
        Wdl.AreJsonEqual("[[1]]", Wdl.Eval("array(createArray(1))"));
        Wdl.AreJsonEqual("""[1,"a",null,true]""", Wdl.Eval("createArray(1, 'a', null, true)"));
    }

    [TestMethod]
    public void String_writes_values_with_the_text_rules()
    {
        Assert.AreEqual("", Wdl.Text("string(null)"));
        Assert.AreEqual("True", Wdl.Text("string(true)"));
        Assert.AreEqual("1", Wdl.Text("string(1.0)"));
        Assert.AreEqual("[1,\"a\",null]", Wdl.Text("string(createArray(1, 'a', null))"));
    }
}
