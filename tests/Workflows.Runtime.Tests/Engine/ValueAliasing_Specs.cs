using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// The engine shares JSON values instead of copying them wherever it can (docs/runtime/engine.md, "Values and copies"):
/// expression literals, splitOn items, values read from records. Each spec here changes a value that an action was handed,
/// in place, and checks that nothing else saw the change: a value handed to an action or kept in a record is never reached
/// again through an alias. (A function's parameters are the run's own values, handed over without a copy: an invoker must
/// not change them, see IFunctionInvoker. The test host's fake invoker gives each function a copy, as Azure's worker does, so
/// these specs show that a function changing its copy changes nothing the run shows, its recorded inputs included.)
/// </summary>
[TestClass]
public sealed class ValueAliasing_Specs
{
    /// <summary>A function that writes into what it was given (custom code must not, but the engine must not depend on it).</summary>
    private static JToken Vandalize(JObject parameters)
    {
        foreach (var property in parameters.Properties())
        {
            if (property.Value is JObject value) value["state"] = "changed by the function";
        }
        return new JObject { ["done"] = true };
    }

    [TestMethod]
    public async Task A_function_that_changes_its_parameters_changes_neither_the_trigger_nor_what_later_actions_read()
    {
        using var host = Inline.Host("""
            { "Change": { "type": "InvokeFunction", "inputs": { "functionName": "Vandalize", "parameters": { "message": "@triggerBody()" } }, "runAfter": {} },
              "Read": { "type": "Compose", "inputs": "@triggerBody()?['state']", "runAfter": { "Change": ["Succeeded"] } } }
            """);
        host.Functions.On("Vandalize", Vandalize);

        var run = await host.RunAsync(new JObject { ["state"] = "as posted" });

        Assert.AreEqual("as posted", (string?)run.Action("Read").Outputs);
        Assert.AreEqual("as posted", (string?)run.Trigger.Outputs["body"]!["state"]);
    }

    [TestMethod]
    public async Task A_function_that_changes_another_actions_output_it_was_given_leaves_that_output_as_recorded()
    {
        using var host = Inline.Host("""
            { "Make": { "type": "InvokeFunction", "inputs": { "functionName": "Make", "parameters": {} }, "runAfter": {} },
              "Change": { "type": "InvokeFunction", "inputs": { "functionName": "Vandalize", "parameters": { "made": "@body('Make')" } }, "runAfter": { "Make": ["Succeeded"] } },
              "Read": { "type": "Compose", "inputs": "@body('Make')?['state']", "runAfter": { "Change": ["Succeeded"] } } }
            """);
        host.Functions.On("Make", _ => new JObject { ["state"] = "as made" });
        host.Functions.On("Vandalize", Vandalize);

        var run = await host.RunAsync();

        Assert.AreEqual("as made", (string?)run.Action("Read").Outputs);
        Assert.AreEqual("as made", (string?)run.Action("Make").Outputs!["body"]!["state"]);
    }

    [TestMethod]
    public async Task SplitOn_items_each_belong_to_their_own_run()
    {
        using var host = Inline.Host("""
            { "Change": { "type": "InvokeFunction", "inputs": { "functionName": "Vandalize", "parameters": { "message": "@triggerBody()" } }, "runAfter": {} },
              "Read": { "type": "Compose", "inputs": "@triggerBody()?['state']", "runAfter": { "Change": ["Succeeded"] } } }
            """, trigger: Inline.ServiceBusTrigger, connections: Inline.BusConnection);
        host.Functions.On("Vandalize", Vandalize);

        var runs = await host.TriggerAsync(Inline.Name, JObject.Parse("""{ "body": [ { "id": 1, "state": "as sent" }, { "id": 2, "state": "as sent" } ] }"""));

        Assert.AreEqual(2, runs.Count);
        CollectionAssert.AreEquivalent(new long[] { 1, 2 }, runs.Select(r => (long)r.Trigger.Outputs["body"]!["id"]!).ToArray());
        foreach (var run in runs)
        {
            Assert.AreEqual("as sent", (string?)run.Action("Read").Outputs);
            Assert.AreEqual("as sent", (string?)run.Trigger.Outputs["body"]!["state"]);
        }
    }

    [TestMethod]
    public async Task SplitOn_over_a_parameter_copies_the_items_and_leaves_the_parameter_whole_for_the_next_firing()
    {
        using var host = Inline.Host("""{ "Read": { "type": "Compose", "inputs": "@triggerBody()?['sku']", "runAfter": {} } }""",
            trigger: Inline.ServiceBusTrigger.Replace("@triggerOutputs()?['body']", "@parameters('skus')"), connections: Inline.BusConnection,
            definitionExtras: """ "parameters": { "skus": { "type": "Array", "defaultValue": [ { "sku": "A" }, { "sku": "B" } ] } }, """);

        var first = await host.TriggerAsync(Inline.Name, new JObject { ["body"] = new JArray() });
        var second = await host.TriggerAsync(Inline.Name, new JObject { ["body"] = new JArray() });

        CollectionAssert.AreEquivalent(new[] { "A", "B" }, first.Select(r => (string)r.Action("Read").Outputs!).ToArray());
        CollectionAssert.AreEquivalent(new[] { "A", "B" }, second.Select(r => (string)r.Action("Read").Outputs!).ToArray());
    }

    [TestMethod]
    public async Task A_function_that_changes_a_literal_it_was_given_does_not_change_the_literal_for_the_next_run()
    {
        using var host = Inline.Host("""
            { "Change": { "type": "InvokeFunction", "inputs": { "functionName": "Overwrite", "parameters": { "text": "@coalesce(null, 'as written')" } }, "runAfter": {} },
              "Read": { "type": "Compose", "inputs": "@coalesce(null, 'as written')", "runAfter": { "Change": ["Succeeded"] } } }
            """);
        host.Functions.On("Overwrite", parameters =>
        {
            ((JValue)parameters["text"]!).Value = "changed by the function";
            return JValue.CreateNull();
        });

        var first = await host.RunAsync();
        var second = await host.RunAsync();

        Assert.AreEqual("as written", (string?)first.Action("Read").Outputs);
        Assert.AreEqual("as written", (string?)second.Action("Read").Outputs);
    }

    [TestMethod]
    public void An_evaluated_literal_placed_in_a_container_is_copied_so_the_expression_keeps_its_literal()
    {
        var expression = WdlExpression.Parse("coalesce(null, 'as written')");
        var scope = StaticExpressionScope.FromContext(new JObject());

        var held = new JObject { ["value"] = expression.Evaluate(scope) };
        ((JValue)held["value"]!).Value = "changed by its holder";

        Assert.AreEqual("as written", (string?)expression.Evaluate(scope));
    }

    [TestMethod]
    public async Task A_variable_handed_to_a_function_keeps_its_value_when_the_function_changes_what_it_got()
    {
        using var host = Inline.Host("""
            { "Init": { "type": "InitializeVariable", "inputs": { "variables": [ { "name": "order", "type": "object", "value": { "state": "as set" } } ] }, "runAfter": {} },
              "Change": { "type": "InvokeFunction", "inputs": { "functionName": "Vandalize", "parameters": { "order": "@variables('order')" } }, "runAfter": { "Init": ["Succeeded"] } },
              "Read": { "type": "Compose", "inputs": "@variables('order')?['state']", "runAfter": { "Change": ["Succeeded"] } } }
            """);
        host.Functions.On("Vandalize", Vandalize);

        var run = await host.RunAsync();

        Assert.AreEqual("as set", (string?)run.Action("Read").Outputs);
    }

    [TestMethod]
    public void An_expression_that_serializes_a_value_and_a_changed_copy_of_it_gets_the_text_of_each()
    {
        var scope = StaticExpressionScope.FromContext(new JObject { ["trigger"] = new JObject { ["outputs"] = new JObject { ["body"] = new JObject { ["a"] = 1 } } } });

        var texts = WdlExpression.Parse("createArray(string(triggerBody()), string(setProperty(triggerBody(), 'a', 2)), string(triggerBody()))").Evaluate(scope);

        CollectionAssert.AreEqual(new[] { """{"a":1}""", """{"a":2}""", """{"a":1}""" }, texts.Select(t => (string)t!).ToArray());
    }

    // body('X'), triggerBody() and a selection inside a record's inputs or outputs read the run's values without building the
    // record; the outputs themselves, handed on whole, must still reach the function as a copy.
    [TestMethod]
    [DataRow("@outputs('Make')")]
    [DataRow("@actionOutputs('Make')")]
    [DataRow("@actions('Make')?['outputs']")]
    [DataRow("@actions('Make').outputs")]
    [DataRow("@coalesce(outputs('Make'))")]
    public async Task A_function_that_changes_the_whole_outputs_it_was_given_leaves_the_action_s_outputs_as_recorded(string given)
    {
        using var host = Inline.Host($$"""
            { "Make": { "type": "InvokeFunction", "inputs": { "functionName": "Make", "parameters": {} }, "runAfter": {} },
              "Change": { "type": "InvokeFunction", "inputs": { "functionName": "Vandalize", "parameters": { "made": "{{given}}" } }, "runAfter": { "Make": ["Succeeded"] } },
              "Read": { "type": "Compose", "inputs": { "state": "@outputs('Make')?['state']", "body": "@actions('Make')?['outputs']?['body']?['state']" }, "runAfter": { "Change": ["Succeeded"] } } }
            """);
        host.Functions.On("Make", _ => new JObject { ["state"] = "as made" });
        host.Functions.On("Vandalize", Vandalize);

        var run = await host.RunAsync();

        Assert.AreEqual("as made", (string?)run.Action("Change").Inputs!["parameters"]!["made"]!["body"]!["state"], "the function's inputs as they were given");
        Assert.IsNull(((JObject)run.Action("Change").Inputs!["parameters"]!["made"]!)["state"], "the function's inputs as they were given");
        Assert.AreEqual(JTokenType.Null, run.Action("Read").Outputs!["state"]!.Type);
        Assert.AreEqual("as made", (string?)run.Action("Read").Outputs!["body"]);
        Assert.IsNull(((JObject)run.Action("Make").Outputs!)["state"]);
    }

    [TestMethod]
    [DataRow("@triggerOutputs()")]
    [DataRow("@trigger()?['outputs']")]
    [DataRow("@trigger().outputs")]
    public async Task A_function_that_changes_the_whole_trigger_outputs_it_was_given_leaves_the_trigger_as_recorded(string given)
    {
        using var host = Inline.Host($$"""
            { "Change": { "type": "InvokeFunction", "inputs": { "functionName": "Vandalize", "parameters": { "fired": "{{given}}" } }, "runAfter": {} },
              "Read": { "type": "Compose", "inputs": { "state": "@triggerOutputs()?['state']", "body": "@trigger()?['outputs']?['body']?['state']" }, "runAfter": { "Change": ["Succeeded"] } } }
            """);
        host.Functions.On("Vandalize", Vandalize);

        var run = await host.RunAsync(new JObject { ["state"] = "as posted" });

        Assert.AreEqual("as posted", (string?)run.Action("Change").Inputs!["parameters"]!["fired"]!["body"]!["state"], "the function's inputs as they were given");
        Assert.IsNull(((JObject)run.Action("Change").Inputs!["parameters"]!["fired"]!)["state"], "the function's inputs as they were given");
        Assert.AreEqual(JTokenType.Null, run.Action("Read").Outputs!["state"]!.Type);
        Assert.AreEqual("as posted", (string?)run.Action("Read").Outputs!["body"]);
        Assert.IsNull(((JObject)run.Trigger.Outputs)["state"]);
    }
}
