using Cli.Iac;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure.Bicep;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// Azure Policy at the resource group keeps the next resource in line: built-in definitions (ids and display names
/// from Microsoft Learn, "List of built-in policy definitions"), each assigned once, denying where the template itself
/// complies; required tags on every taggable resource; the host storage account's documented exemption.
/// </summary>
[TestClass]
public sealed class When_resources_are_created_policy_keeps_them_in_line
{
    private static readonly (string Id, string DisplayName, string? Effect)[] Required =
    [
        ("cfb11c26-f069-4c14-8e36-56c394dae5af", "Azure Service Bus namespaces should have local authentication methods disabled", "Deny"),
        ("8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54", "Storage accounts should prevent shared key access", "Deny"),
        ("12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5", "Azure Key Vault should use RBAC permission model", "Deny"),
        ("7f89b1eb-583c-429a-8828-af049802c1d9", "Audit diagnostic setting for selected resource types", null),
        ("e56962a6-4747-49cd-b67b-bf8b01975c4c", "Allowed locations", null),
    ];

    private static readonly string[] RequiredTags = ["owner", "cost-centre", "environment"];

    private static IReadOnlyList<ArmResource> Assignments(IEnumerable<ArmResource> resources) =>
        resources.Where(r => r.Type == "Microsoft.Authorization/policyAssignments").ToList();

    [TestMethod]
    public void Each_governance_rule_is_a_built_in_definition_assigned_at_the_resource_group()
    {
        var assignments = Assignments(RepositoryFiles.MainTemplate().ExpandResources());
        foreach (var (id, displayName, effect) in Required)
        {
            var matching = assignments.Where(a => (string?)a.Json.SelectToken("properties.policyDefinitionId") == $"/providers/Microsoft.Authorization/policyDefinitions/{id}").ToList();
            Assert.HasCount(1, matching, $"{displayName} ({id})");
            Assert.IsNull(matching[0].Scope, $"{displayName}: assigned at the resource group (no narrower scope).");
            StringAssert.StartsWith((string?)matching[0].Json.SelectToken("properties.displayName"), displayName);
            if (effect is not null) Assert.AreEqual(effect, (string?)matching[0].Json.SelectToken("properties.parameters.effect.value"), displayName);
        }
    }

    [TestMethod]
    public void The_allowed_locations_contain_the_deployment_location()
    {
        var template = RepositoryFiles.MainTemplate();
        var allowed = Assignments(template.ExpandResources()).Single(a => ((string?)a.Json.SelectToken("properties.policyDefinitionId"))!.EndsWith("e56962a6-4747-49cd-b67b-bf8b01975c4c", StringComparison.Ordinal));
        CollectionAssert.Contains(((JArray)allowed.Json.SelectToken("properties.parameters.listOfAllowedLocations.value")!).Select(v => (string?)v).ToList(), (string?)template.Parameter("location"));
    }

    [TestMethod]
    public void Each_required_tag_has_its_own_Require_a_tag_assignment()
    {
        var tagNames = Assignments(RepositoryFiles.MainTemplate().ExpandResources())
            .Where(a => (string?)a.Json.SelectToken("properties.policyDefinitionId") == "/providers/Microsoft.Authorization/policyDefinitions/871b6d14-10aa-478d-b590-94f262ecfa99")
            .Select(a => (string)a.Json.SelectToken("properties.parameters.tagName.value")!).ToArray();
        CollectionAssert.AreEquivalent(RequiredTags, tagNames);
    }

    [TestMethod]
    public void Every_taggable_resource_carries_the_required_tags()
    {
        var untagged = Untagged(RepositoryFiles.MainTemplate().ExpandResources());
        Assert.IsEmpty(untagged, string.Join("\n", untagged));
    }

    [TestMethod]
    public void A_resource_without_tags_is_reported()
    {
        var compiled = (JObject)CompiledInfrastructure.MainTemplateJson().DeepClone();
        var vnet = ((JArray)CompiledInfrastructure.ModuleTemplate(compiled, "network")["resources"]!).First(r => (string?)r["type"] == "Microsoft.Network/virtualNetworks");
        ((JObject)vnet).Remove("tags");

        var untagged = Untagged(new ArmTemplate(compiled).ExpandResources());

        Assert.HasCount(1, untagged);
        StringAssert.StartsWith(untagged[0], "Microsoft.Network/virtualNetworks");
    }

    [TestMethod]
    public void Only_the_host_storage_account_is_exempt_and_only_from_the_shared_key_rule()
    {
        var template = RepositoryFiles.MainTemplate();
        var resources = template.ExpandResources();
        var exemptions = resources.Where(r => r.Type == "Microsoft.Authorization/policyExemptions").ToList();
        Assert.HasCount(1, exemptions);
        Assert.AreEqual($"{ArmTemplate.ResourceGroupId}/providers/Microsoft.Storage/storageAccounts/{template.Variable("names")["hostStorageAccount"]}", exemptions[0].Scope);
        var assignment = Assignments(resources).Single(a => ((string?)a.Json.SelectToken("properties.policyDefinitionId"))!.EndsWith("8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54", StringComparison.Ordinal));
        Assert.AreEqual($"{ArmTemplate.ResourceGroupId}/providers/Microsoft.Authorization/policyAssignments/{assignment.Name}",
            (string?)exemptions[0].Json.SelectToken("properties.policyAssignmentId"));
    }

    [TestMethod]
    public void The_governance_documentation_names_every_assigned_definition()
    {
        var doc = RepositoryFiles.DocSection("docs/identities.md", "governance");
        foreach (var assignment in Assignments(RepositoryFiles.MainTemplate().ExpandResources()))
        {
            var id = ((string)assignment.Json.SelectToken("properties.policyDefinitionId")!).Split('/')[^1];
            StringAssert.Contains(doc, id, $"docs/identities.md (governance) does not name {id}.");
        }
    }

    /// <summary>Resources with a location (what the "Require a tag on resources" policy evaluates) lacking a required tag.</summary>
    private static List<string> Untagged(IEnumerable<ArmResource> resources) =>
        resources.Where(r => r.Json["location"] is not null && r.Type != "Microsoft.Web/connections/accessPolicies")
            .Where(r => RequiredTags.Any(t => r.Json.SelectToken("tags")?[t] is null))
            .Select(r => $"{r.Type} {r.Name} lacks {string.Join(", ", RequiredTags.Where(t => r.Json.SelectToken("tags")?[t] is null))}")
            .ToList();
}
