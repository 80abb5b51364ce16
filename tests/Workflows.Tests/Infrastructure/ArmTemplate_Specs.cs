using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>The one ARM template evaluator (tools/Cli/Iac), shared by these tests and the preflight verb, on small templates.</summary>
[TestClass]
public sealed class ArmTemplate_Specs
{
    private static JObject Template(string json) => JObject.Parse(json);

    [TestMethod]
    public void An_unknown_function_fails_a_strict_reading_and_becomes_a_symbol_in_a_lenient_one()
    {
        var template = Template("""{ "variables": { "x": "[frobnicate('a')]" }, "resources": [] }""");

        var strict = Assert.ThrowsExactly<ArmEvaluationException>(() => new ArmTemplate(template).Variable("x"));
        StringAssert.Contains(strict.Message, "frobnicate");
        var lenient = new ArmTemplate(template, null, UnknownExpressions.BecomeSymbols).Variable("x");
        Assert.IsTrue(ArmTemplate.IsSymbolic(lenient), lenient.ToString());
    }

    [TestMethod]
    public void Values_only_Azure_knows_are_symbols_in_both_readings_and_keep_their_member_path()
    {
        var template = Template("""
            { "parameters": { "secret": { "type": "securestring" } },
              "variables": { "principal": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-a'), '2023-01-31').principalId]",
                             "key": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-05-01').keys[0].value]",
                             "secret": "[parameters('secret')]" },
              "resources": [] }
            """);

        var strict = new ArmTemplate(template);
        Assert.AreEqual($"⟪reference({ArmTemplate.ResourceGroupId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-a).principalId⟫", (string?)strict.Variable("principal"));
        Assert.AreEqual($"⟪listKeys({ArmTemplate.ResourceGroupId}/providers/Microsoft.Storage/storageAccounts/st).keys[0].value⟫", (string?)strict.Variable("key"));
        Assert.AreEqual("⟪parameters('secret')⟫", (string?)strict.Variable("secret"));
    }

    [TestMethod]
    public void A_module_gets_its_parameters_from_the_deployment_and_reference_reads_its_outputs()
    {
        var template = Template("""
            { "parameters": { "env": { "type": "string", "defaultValue": "dev" } },
              "resources": [
                { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "names",
                  "properties": { "expressionEvaluationOptions": { "scope": "inner" }, "mode": "Incremental",
                    "parameters": { "prefix": { "value": "[format('la-{0}', parameters('env'))]" } },
                    "template": { "parameters": { "prefix": { "type": "string" } }, "resources": [],
                      "outputs": { "app": { "type": "string", "value": "[format('{0}-orders', parameters('prefix'))]" } } } } } ],
              "outputs": { "app": { "type": "string", "value": "[reference(resourceId('Microsoft.Resources/deployments', 'names'), '2022-09-01').outputs.app.value]" } } }
            """);

        Assert.AreEqual("la-dev-orders", (string?)new ArmTemplate(template).Output("app"));
    }

    [TestMethod]
    public void A_nested_template_with_outer_scope_reads_the_parents_parameters_and_variables()
    {
        var template = Template("""
            { "variables": { "name": "st-outer" },
              "resources": [
                { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "nested",
                  "properties": { "mode": "Incremental", "template": { "resources": [
                    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "[variables('name')]" } ] } } } ] }
            """);

        var account = new ArmTemplate(template).ExpandResources().Single(r => r.Type == "Microsoft.Storage/storageAccounts");
        Assert.AreEqual("st-outer", account.Name);
        Assert.AreEqual("nested", account.Deployment);
    }

    [TestMethod]
    public void Copy_loops_expand_resources_properties_and_variables_and_a_false_condition_leaves_a_resource_out()
    {
        var template = Template("""
            { "variables": { "names": [ "a", "b" ], "copy": [ { "name": "upper", "count": 2, "input": "[toUpper(variables('names')[copyIndex('upper')])]" } ] },
              "resources": [
                { "type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "[format('app-{0}', variables('names')[copyIndex()])]",
                  "copy": { "name": "apps", "count": "[length(variables('names'))]" },
                  "properties": { "siteConfig": { "copy": [ { "name": "appSettings", "count": 2,
                    "input": { "name": "[format('S{0}', copyIndex('appSettings', 1))]", "value": "[copyIndex('apps')]" } } ] } } },
                { "condition": "[equals(variables('names')[0], 'z')]", "type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "never" } ] }
            """);
        var arm = new ArmTemplate(template);

        var sites = arm.ExpandResources();
        CollectionAssert.AreEqual(new[] { "app-a", "app-b" }, sites.Select(s => s.Name).ToArray());
        Assert.AreEqual("""[{"name":"S1","value":1},{"name":"S2","value":1}]""", sites[1].Json.SelectToken("properties.siteConfig.appSettings")!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.AreEqual("""["A","B"]""", arm.Variable("upper").ToString(Newtonsoft.Json.Formatting.None));
    }

    [TestMethod]
    public void Lambdas_map_filter_and_build_objects()
    {
        var template = Template("""
            { "variables": { "subscribers": [ "SapFulfillment", "LakeArchive", "SmsNotification" ],
                "settings": "[toObject(filter(variables('subscribers'), lambda('s', not(equals(lambdaVariables('s'), 'LakeArchive')))), lambda('s', format('serviceBus{0}_identity', lambdaVariables('s'))), lambda('s', toLower(lambdaVariables('s'))))]",
                "lengths": "[map(variables('subscribers'), lambda('s', length(lambdaVariables('s'))))]" },
              "resources": [] }
            """);
        var arm = new ArmTemplate(template);

        Assert.AreEqual("""{"serviceBusSapFulfillment_identity":"sapfulfillment","serviceBusSmsNotification_identity":"smsnotification"}""",
            arm.Variable("settings").ToString(Newtonsoft.Json.Formatting.None));
        Assert.AreEqual("[14,11,15]", arm.Variable("lengths").ToString(Newtonsoft.Json.Formatting.None));
    }

    [TestMethod]
    public void Union_merges_nested_objects_and_contains_finds_object_keys_in_any_case()
    {
        var template = Template("""
            { "variables": { "a": { "tags": { "owner": "team" }, "list": [ 1 ] }, "b": { "tags": { "env": "dev" }, "list": [ 2 ] },
                "merged": "[union(variables('a'), variables('b'))]", "hasOwner": "[contains(variables('a').tags, 'OWNER')]" },
              "resources": [] }
            """);
        var arm = new ArmTemplate(template);

        Assert.AreEqual("""{"tags":{"owner":"team","env":"dev"},"list":[2]}""", arm.Variable("merged").ToString(Newtonsoft.Json.Formatting.None));
        Assert.IsTrue((bool)arm.Variable("hasOwner"));
    }

    [TestMethod]
    public void A_missing_property_fails_a_strict_reading()
    {
        var template = Template("""{ "variables": { "o": { "a": 1 }, "x": "[variables('o').b]" }, "resources": [] }""");

        Assert.ThrowsExactly<ArmEvaluationException>(() => new ArmTemplate(template).Variable("x"));
        Assert.IsTrue(ArmTemplate.IsSymbolic(new ArmTemplate(template, null, UnknownExpressions.BecomeSymbols).Variable("x")));
    }
}
