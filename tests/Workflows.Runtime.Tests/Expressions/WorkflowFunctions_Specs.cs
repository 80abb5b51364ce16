using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class WorkflowFunctions_Specs
{
    private const string Context = """
        {
          "parameters": {"ordersTopicName": "orders"},
          "appsettings": {"Orders_TopicName": "orders-local"},
          "variables": {"count": 3},
          "trigger": {"name": "When_message", "outputs": {"headers": {"h": "v"}, "body": {"contentData": {"orderId": "O-1"}}}},
          "actions": {
            "Parse_message": {"name": "Parse_message", "status": "Succeeded", "outputs": {"statusCode": 200, "body": {"orderId": "O-1"}}},
            "Skipped_one": {"name": "Skipped_one", "status": "Skipped"},
            "Form": {"outputs": {"body": {"$content-type": "application/x-www-form-urlencoded", "$content": "YT0xJmE9MiZiPTM=", "$formdata": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}, {"key": "b", "value": "3"}]}}},
            "Multi": {"outputs": {"body": {"$content-type": "multipart/form-data", "$multipart": [{"headers": {"Content-Disposition": "form-data; name=\"file\""}, "body": "first"}, {"headers": {}, "body": {"x": 1}}]}}}
          },
          "item": {"sku": "A-1"},
          "items": {"For_each_line": {"sku": "B-2"}},
          "iterationIndexes": {"Until_done": 2},
          "results": {"Try": [{"name": "Inner", "status": "Failed"}]},
          "workflow": {"name": "SapFulfillment", "run": {"name": "08585"}}
        }
        """;

    [TestMethod]
    public void Run_values_come_from_the_scope()
    {
        Assert.AreEqual("orders", Wdl.Text("parameters('ordersTopicName')", Context));
        Assert.AreEqual("orders-local", Wdl.Text("appsetting('Orders_TopicName')", Context));
        Assert.AreEqual(3L, (long)Wdl.Eval("variables('count')", Context));
        Assert.AreEqual("A-1", Wdl.Text("item().sku", Context));
        Assert.AreEqual("B-2", Wdl.Text("items('For_each_line')?['sku']", Context));
        Assert.AreEqual(2L, (long)Wdl.Eval("iterationIndexes('Until_done')", Context));
        Assert.AreEqual("Failed", Wdl.Text("result('Try')[0].status", Context));
        Assert.AreEqual("08585", Wdl.Text("workflow().run.name", Context));
    }

    [TestMethod]
    public void Trigger_shortcuts_read_the_trigger_record()
    {
        Assert.AreEqual("When_message", Wdl.Text("trigger().name", Context));
        Assert.AreEqual("v", Wdl.Text("triggerOutputs()['headers']['h']", Context));
        Assert.AreEqual("O-1", Wdl.Text("triggerBody()?['contentData']?['orderId']", Context));
    }

    [TestMethod]
    public void Body_and_outputs_read_an_action_record()
    {
        Assert.AreEqual("O-1", Wdl.Text("body('Parse_message')?['orderId']", Context));
        Assert.AreEqual("O-1", Wdl.Text("actionBody('Parse_message').orderId", Context));
        Assert.AreEqual(200L, (long)Wdl.Eval("outputs('Parse_message')['statusCode']", Context));
        Assert.AreEqual("Succeeded", Wdl.Text("actions('Parse_message').status", Context));
        Assert.AreEqual(JTokenType.Null, Wdl.Eval("body('Skipped_one')", Context).Type, "an action without outputs has a null body");
    }

    [TestMethod]
    public void Form_data_and_multipart_helpers_read_their_parts()
    {
        Wdl.AreJsonEqual("""["1", "2"]""", Wdl.Eval("formDataMultiValues('Form', 'a')", Context));
        Assert.AreEqual("3", Wdl.Text("formDataValue('Form', 'b')", Context));
        StringAssert.Contains(Wdl.Error("formDataValue('Form', 'a')", Context), "formDataMultiValues");
        Assert.AreEqual("first", Wdl.Text("multipartBody('Multi', 0)", Context));
        Wdl.AreJsonEqual("""{"x": 1}""", Wdl.Eval("multipartBody('Multi', 1)", Context));
    }

    [TestMethod]
    public void Asking_for_something_the_run_does_not_have_fails_naming_it()
    {
        StringAssert.Contains(Wdl.Error("parameters('nope')", Context), "The workflow parameter 'nope' is not found");
        StringAssert.Contains(Wdl.Error("body('Nope')", Context), "'Nope'");
        StringAssert.Contains(Wdl.Error("variables('nope')", Context), "'nope'");
        StringAssert.Contains(Wdl.Error("item()"), "'item'");
        StringAssert.Contains(Wdl.Error("listCallbackUrl()"), "'listCallbackUrl'");
    }

    [TestMethod]
    public void Workflow_functions_take_no_extra_arguments()
    {
        Assert.ThrowsExactly<Workflows.Runtime.Expressions.WdlParseException>(() => Workflows.Runtime.Expressions.WdlExpression.Parse("trigger(1)"));
        Assert.ThrowsExactly<Workflows.Runtime.Expressions.WdlParseException>(() => Workflows.Runtime.Expressions.WdlExpression.Parse("body()"));
    }
}
