using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class Loading_Specs
{
    [TestMethod]
    public void The_projects_own_workflows_load_and_validate_without_errors()
    {
        var root = RepositoryRoot.FullPath;
        var settings = LocalSettings.LoadValues(Path.Combine(root, "local.settings.template.json"));

        var app = LogicApp.Load(root, settings);

        CollectionAssert.IsSubsetOf(
            new[] { "OrderIntake", "SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive", "SapFulfillmentDeadLetters" },
            app.Workflows.Keys.ToArray());
    }

    [TestMethod]
    public void Both_the_workflows_folder_and_Microsofts_flat_layout_are_found()
    {
        var root = Directory.CreateTempSubdirectory("engine-layout-").FullName;
        try
        {
            var workflow = """{ "definition": { "triggers": { "manual": { "type": "Request", "kind": "Http" } }, "actions": {} }, "kind": "Stateless" }""";
            Directory.CreateDirectory(Path.Combine(root, "workflows", "Nested"));
            Directory.CreateDirectory(Path.Combine(root, "Flat"));
            File.WriteAllText(Path.Combine(root, "workflows", "Nested", "workflow.json"), workflow);
            File.WriteAllText(Path.Combine(root, "Flat", "workflow.json"), workflow);
            File.WriteAllText(Path.Combine(root, "parameters.json"), """{ "retries": { "type": "int", "value": "@appsetting('Retries')" } }""");
            File.WriteAllText(Path.Combine(root, "local.settings.json"), """{ "IsEncrypted": false, "Values": { "Retries": "3" } }""");

            var app = LogicApp.Load(root);

            CollectionAssert.AreEquivalent(new[] { "Nested", "Flat" }, app.Workflows.Keys.ToArray());
            Assert.AreEqual("Stateless", app.Workflows["Flat"].Kind);
            Assert.AreEqual(JTokenType.Integer, app.Parameters["retries"].Type, "an int parameter from an app setting is typed");
            Assert.AreEqual(3L, (long)app.Parameters["retries"]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void Every_definition_problem_is_reported_at_once_with_its_workflow_and_action()
    {
        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host("""
            {
              "Unknown": { "type": "Teleport", "runAfter": {} },
              "Orphan": { "type": "Compose", "inputs": 1, "runAfter": { "Nowhere": ["Succeeded"] } },
              "A": { "type": "Compose", "inputs": 1, "runAfter": { "B": ["Succeeded"] } },
              "B": { "type": "Compose", "inputs": 1, "runAfter": { "A": ["Succeeded"] } },
              "BadStatus": { "type": "Compose", "inputs": 1, "runAfter": { "A": ["Completed"] } },
              "BadExpression": { "type": "Compose", "inputs": "@concat('a'", "runAfter": {} }
            }
            """));

        var messages = string.Join("\n", error.Errors);
        StringAssert.Contains(messages, "workflow 'wf': action 'Unknown' has type 'Teleport', which this runtime does not support");
        StringAssert.Contains(messages, "action 'Orphan' runs after 'Nowhere', which is not an action in the same scope");
        StringAssert.Contains(messages, "the runAfter settings form a cycle: A -> B -> A");
        StringAssert.Contains(messages, "has status 'Completed'");
        StringAssert.Contains(messages, "'@concat('a'' is not valid");
    }

    [TestMethod]
    public void RunAfter_can_not_reach_across_containers()
    {
        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host("""
            {
              "Outer": { "type": "Compose", "inputs": 1, "runAfter": {} },
              "S": { "type": "Scope", "runAfter": {}, "actions": { "Inner": { "type": "Compose", "inputs": 1, "runAfter": { "Outer": ["Succeeded"] } } } }
            }
            """));

        StringAssert.Contains(error.Message, "action 'Inner' runs after 'Outer', which is not an action in the same scope ('S')");
    }

    [TestMethod]
    public void A_workflow_needs_exactly_one_trigger()
    {
        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host("{}", trigger: "{}"));

        StringAssert.Contains(error.Message, "exactly one trigger");
    }

    [TestMethod]
    public void A_missing_folder_is_a_clear_error()
    {
        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => LogicApp.Load("/nonexistent/logic-app"));

        StringAssert.Contains(error.Message, "does not exist");
    }
}
