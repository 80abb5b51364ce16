using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>Least privilege: the template grants exactly the identity/role matrix of docs/identities.md, only data-plane,
/// log-reading and operator roles, only on single entities, containers, secrets, the workspace or the app.</summary>
[TestClass]
public sealed class When_identities_are_granted_access_only_this_matrix_applies
{
    private static IReadOnlyList<Grant> TemplateGrants() => RoleMatrix.Grants(RepositoryFiles.MainTemplate().ExpandResources());

    [TestMethod]
    public void Every_identity_has_exactly_the_role_assignments_that_are_documented()
    {
        var documented = RoleMatrix.ParseDocumentedMatrix(RepositoryFiles.DocSection("docs/identities.md", "infrastructure"));
        Assert.IsNotEmpty(documented, "The \"infrastructure\" section of docs/identities.md has no 'Identity | Role | Scope' table.");

        var differences = RoleMatrix.CompareWithDocumented(TemplateGrants(), documented);

        Assert.IsEmpty(differences, string.Join("\n", differences));
    }

    [TestMethod]
    public void No_assignment_is_wider_than_one_entity_container_or_secret_and_none_is_Owner_or_Contributor()
    {
        var violations = RoleMatrix.Violations(TemplateGrants());
        Assert.IsEmpty(violations, string.Join("\n", violations));
    }

    // The separation rules are about workloads: each subscription and alert queue is read by exactly one workflow
    // identity, and no workflow identity both sends and receives. People are the one exception, stated here: the
    // operators' group reads dead letters and resubmits them with the dead-letter tool (docs/operations.md).
    private static IReadOnlyList<Grant> WorkloadGrants() =>
        TemplateGrants().Where(g => !RoleMatrix.ExternalPrincipals.Contains(g.Identity)).ToList();

    [TestMethod]
    public void Every_Service_Bus_subscription_and_dead_letter_queue_of_the_topology_has_exactly_one_workload_reader()
    {
        var grants = WorkloadGrants();
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        foreach (var subscription in config.SelectTokens("UserConfig.Namespaces[*].Topics[*].Subscriptions[*]"))
        {
            var scope = $"subscription orders/{subscription["Name"]}";
            Assert.HasCount(1, grants.Where(g => g.Scope == scope && g.Role == "Azure Service Bus Data Receiver"), scope);
            var deadLetterQueue = $"queue {subscription.SelectToken("Properties.ForwardDeadLetteredMessagesTo")}";
            Assert.HasCount(1, grants.Where(g => g.Scope == deadLetterQueue && g.Role == "Azure Service Bus Data Receiver"), deadLetterQueue);
        }
    }

    [TestMethod]
    public void No_workload_identity_both_sends_and_receives()
    {
        var grants = WorkloadGrants();
        var senders = grants.Where(g => g.Role == "Azure Service Bus Data Sender").Select(g => g.Identity).ToHashSet();
        var receivers = grants.Where(g => g.Role == "Azure Service Bus Data Receiver").Select(g => g.Identity).ToHashSet();
        Assert.IsEmpty(senders.Intersect(receivers).ToList());
    }

    [TestMethod]
    public void Among_people_and_external_principals_only_the_operators_receive_and_only_where_dead_letters_are()
    {
        var receiving = TemplateGrants()
            .Where(g => RoleMatrix.ExternalPrincipals.Contains(g.Identity) && g.Role == "Azure Service Bus Data Receiver")
            .ToList();
        Assert.IsTrue(receiving.All(g => g.Identity == "operatorsGroupObjectId"), string.Join("\n", receiving));
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        var deadLetterPlaces = config.SelectTokens("UserConfig.Namespaces[*].Topics[*].Subscriptions[*]")
            .SelectMany(s => new[] { $"subscription orders/{s["Name"]}", $"queue {s.SelectToken("Properties.ForwardDeadLetteredMessagesTo")}" })
            .ToHashSet();
        Assert.IsTrue(receiving.All(g => deadLetterPlaces.Contains(g.Scope)), string.Join("\n", receiving));
    }

    [TestMethod]
    public void Every_granted_identity_is_attached_to_the_Logic_App()
    {
        var resources = RepositoryFiles.MainTemplate().ExpandResources();
        var site = resources.Single(r => r.Type == "Microsoft.Web/sites");
        var attached = ((JObject)site.Json.SelectToken("identity.userAssignedIdentities")!).Properties().Select(p => p.Name.Split('/')[^1]).ToHashSet();
        foreach (var grant in RoleMatrix.Grants(resources).Where(g => !RoleMatrix.ExternalPrincipals.Contains(g.Identity)))
        {
            Assert.Contains(grant.Identity, attached);
        }
    }

    [TestMethod]
    public void A_namespace_wide_Owner_assignment_breaks_both_the_scope_and_the_role_rule()
    {
        var template = (JObject)Bicep.CompiledInfrastructure.MainTemplateJson().DeepClone();
        ((JArray)template["resources"]!).Add(JObject.Parse("""
            {
              "type": "Microsoft.Authorization/roleAssignments",
              "apiVersion": "2022-04-01",
              "name": "[guid('owner-fixture')]",
              "scope": "[resourceId('Microsoft.ServiceBus/namespaces', variables('names').serviceBusNamespace)]",
              "properties": {
                "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]",
                "principalId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-orders-publisher'), '2023-01-31').principalId]"
              }
            }
            """));

        var grants = RoleMatrix.Grants(new ArmTemplate(template).ExpandResources());
        var violations = RoleMatrix.Violations(grants);
        var differences = RoleMatrix.CompareWithDocumented(grants, RoleMatrix.ParseDocumentedMatrix(RepositoryFiles.DocSection("docs/identities.md", "infrastructure")));

        Assert.HasCount(2, violations);
        Assert.IsTrue(violations.Any(v => v.Contains("'Owner' is not a data-plane role", StringComparison.Ordinal)));
        Assert.IsTrue(violations.Any(v => v.Contains("namespace", StringComparison.Ordinal) && v.Contains("wider", StringComparison.Ordinal)));
        Assert.HasCount(1, differences);
        StringAssert.StartsWith(differences[0], "granted but not in the documented matrix: id-orders-publisher | Owner | namespace ");
    }

    [TestMethod]
    public void A_principal_that_is_neither_an_identity_of_the_template_nor_a_known_parameter_is_reported()
    {
        var violations = RoleMatrix.Violations([new Grant("someoneElsesObjectId", "Log Analytics Reader", "workspace")]);
        Assert.HasCount(1, violations);
        StringAssert.Contains(violations[0], "neither one of the template's user-assigned identities nor a known principal parameter");
    }

    [TestMethod]
    public void An_assignment_without_a_scope_is_reported_as_resource_group_wide()
    {
        var violations = RoleMatrix.Violations([new Grant("id-orders-publisher", "Azure Service Bus Data Sender", RoleMatrix.DescribeScope(null))]);
        Assert.HasCount(1, violations);
        StringAssert.Contains(violations[0], "resource group");
    }

    [TestMethod]
    public void A_matrix_row_missing_from_the_documentation_is_reported()
    {
        var documented = RoleMatrix.ParseDocumentedMatrix(RepositoryFiles.DocSection("docs/identities.md", "infrastructure"))
            .Where(g => !(g.Scope == "queue deadletters-lake-archive" && g.Identity == "id-orders-deadletter-alerts")).ToList();

        var differences = RoleMatrix.CompareWithDocumented(TemplateGrants(), documented);

        CollectionAssert.AreEqual(
            new[] { "granted but not in the documented matrix: id-orders-deadletter-alerts | Azure Service Bus Data Receiver | queue deadletters-lake-archive" },
            differences.ToArray());
    }

    [TestMethod]
    public void Scopes_are_described_by_their_innermost_resource()
    {
        Assert.AreEqual("subscription orders/sap-fulfillment", RoleMatrix.DescribeScope("Microsoft.ServiceBus/namespaces/sb/topics/orders/subscriptions/sap-fulfillment"));
        Assert.AreEqual("container orders", RoleMatrix.DescribeScope("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/orders"));
        Assert.AreEqual("storage account st", RoleMatrix.DescribeScope("Microsoft.Storage/storageAccounts/st"));
        Assert.AreEqual("subscription (Azure)", RoleMatrix.DescribeScope("/subscriptions/s"));
        Assert.AreEqual("workspace", RoleMatrix.DescribeScope("/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log-orders-dev-abc"));
        Assert.AreEqual("logic-app", RoleMatrix.DescribeScope("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/la-orders-dev-abc"));
    }
}
