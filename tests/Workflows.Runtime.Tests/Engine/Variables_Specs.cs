using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class Variables_Specs
{
    private static string Init(string name, string type, string value, string after = "") => $$"""
        "Init_{{name}}": { "type": "InitializeVariable", "inputs": { "variables": [ { "name": "{{name}}", "type": "{{type}}", "value": {{value}} } ] }, "runAfter": { {{after}} } }
        """;

    [TestMethod]
    public async Task Integer_variables_increment_and_decrement()
    {
        using var host = Inline.Host($$"""
            { {{Init("count", "integer", "5")}},
              "Up": { "type": "IncrementVariable", "inputs": { "name": "count", "value": 3 }, "runAfter": { "Init_count": ["Succeeded"] } },
              "Down": { "type": "DecrementVariable", "inputs": { "name": "count" }, "runAfter": { "Up": ["Succeeded"] } },
              "Read": { "type": "Compose", "inputs": "@variables('count')", "runAfter": { "Down": ["Succeeded"] } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(7L, (long)run.Action("Read").Outputs!);
        Assert.AreEqual(8L, (long)run.Action("Up").Body()!["value"]!);
    }

    [TestMethod]
    public async Task Set_variable_rejects_a_value_of_another_type()
    {
        using var host = Inline.Host($$"""
            { {{Init("count", "Integer", "1")}},
              "Set": { "type": "SetVariable", "inputs": { "name": "count", "value": "ten" }, "runAfter": { "Init_count": ["Succeeded"] } } }
            """);
        var run = await host.RunAsync();

        var set = run.Action("Set");
        Assert.AreEqual(WorkflowStatus.Failed, set.Status);
        Assert.AreEqual("InvalidVariableValueType", set.Error!.Value<string>("code"));
        StringAssert.Contains(set.Error.Value<string>("message"), "The variable 'count' of type 'Integer' cannot be initialized or updated with a value of type 'String'.");
    }

    [TestMethod]
    public async Task Appending_to_an_array_keeps_earlier_snapshots_unchanged()
    {
        using var host = Inline.Host($$"""
            { {{Init("list", "Array", "[]")}},
              "Add1": { "type": "AppendToArrayVariable", "inputs": { "name": "list", "value": 1 }, "runAfter": { "Init_list": ["Succeeded"] } },
              "Snapshot": { "type": "Compose", "inputs": "@variables('list')", "runAfter": { "Add1": ["Succeeded"] } },
              "Add2": { "type": "AppendToArrayVariable", "inputs": { "name": "list", "value": { "x": 2 } }, "runAfter": { "Snapshot": ["Succeeded"] } },
              "Final": { "type": "Compose", "inputs": "@variables('list')", "runAfter": { "Add2": ["Succeeded"] } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual("[1]", run.Action("Snapshot").Outputs!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.AreEqual("""[1,{"x":2}]""", run.Action("Final").Outputs!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [TestMethod]
    public async Task Appending_to_a_string_concatenates_and_null_appends_nothing()
    {
        using var host = Inline.Host($$"""
            { {{Init("text", "String", "\"ab\"")}},
              "Add": { "type": "AppendToStringVariable", "inputs": { "name": "text", "value": "cd" }, "runAfter": { "Init_text": ["Succeeded"] } },
              "AddNull": { "type": "AppendToStringVariable", "inputs": { "name": "text", "value": null }, "runAfter": { "Add": ["Succeeded"] } },
              "Read": { "type": "Compose", "inputs": "@variables('text')", "runAfter": { "AddNull": ["Succeeded"] } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual("abcd", (string?)run.Action("Read").Outputs);
    }

    [TestMethod]
    public async Task Incrementing_a_string_variable_fails()
    {
        using var host = Inline.Host($$"""
            { {{Init("text", "String", "\"a\"")}},
              "Up": { "type": "IncrementVariable", "inputs": { "name": "text", "value": 1 }, "runAfter": { "Init_text": ["Succeeded"] } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Up").Status);
        StringAssert.Contains(run.Action("Up").Error!.Value<string>("message"), "only Integer and Float variables");
    }

    [TestMethod]
    public async Task A_float_variable_accepts_integers_and_keeps_the_float_type()
    {
        using var host = Inline.Host($$"""
            { {{Init("total", "Float", "1")}},
              "Up": { "type": "IncrementVariable", "inputs": { "name": "total", "value": 0.5 }, "runAfter": { "Init_total": ["Succeeded"] } },
              "Read": { "type": "Compose", "inputs": "@variables('total')", "runAfter": { "Up": ["Succeeded"] } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(JTokenType.Float, run.Action("Read").Outputs!.Type);
        Assert.AreEqual(1.5, (double)run.Action("Read").Outputs!);
    }

    [TestMethod]
    public async Task Reading_a_variable_that_was_never_initialized_fails_the_reading_action()
    {
        using var host = Inline.Host("""{ "Read": { "type": "Compose", "inputs": "@variables('missing')", "runAfter": {} } }""");
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Read").Status);
        StringAssert.Contains(run.Action("Read").Error!.Value<string>("message"), "missing");
    }

    [TestMethod]
    public void Initialize_variable_inside_a_scope_is_rejected_when_the_workflow_loads()
    {
        var error = Assert.ThrowsExactly<Definitions.LogicAppLoadException>(() => Inline.Host($$"""
            { "S": { "type": "Scope", "runAfter": {}, "actions": { {{Init("x", "Integer", "1")}} } } }
            """));

        StringAssert.Contains(error.Message, "Initialize variable actions must be at the top level");
    }
}
