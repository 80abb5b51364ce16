using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>The CI deployer's Role Based Access Control Administrator assignment (docs/deployment.md, made once by an
/// administrator) is conditioned on a list of role ids: exactly the roles deploy/infra/access.json grants, so the
/// pipeline can deploy the matrix and nothing wider.</summary>
[TestClass]
public sealed partial class When_the_CI_deployer_assigns_roles_it_can_assign_only_those_of_the_matrix
{
    [TestMethod]
    public void The_documented_condition_lists_exactly_the_role_ids_the_template_grants()
    {
        var differences = Differences(RepositoryFiles.ReadText("docs/deployment.md"), RepositoryFiles.ReadJson("deploy/infra/access.json"));
        Assert.IsEmpty(differences, string.Join("\n", differences));
    }

    [TestMethod]
    public void A_role_added_to_the_matrix_but_not_to_the_condition_is_reported()
    {
        var access = RepositoryFiles.ReadJson("deploy/infra/access.json");
        access["roles"]!["Storage Blob Data Reader"] = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
        access["grants"] = new JArray(((JArray)access["grants"]!).Append(JObject.Parse("""{ "principal": "id-orders-custom-code", "role": "Storage Blob Data Reader", "scope": "container", "name": "orders-lake" }""")));

        var differences = Differences(RepositoryFiles.ReadText("docs/deployment.md"), access);

        CollectionAssert.AreEqual(new[] { "granted by access.json but not assignable by the CI deployer: 2a2b9908-6ea1-4ae2-8e65-a410df84e7d1" }, differences.ToArray());
    }

    private static List<string> Differences(string deploymentDoc, JObject access)
    {
        var match = RolesLine().Match(deploymentDoc);
        if (!match.Success) return ["docs/deployment.md has no ROLES=\"...\" line for the CI deployer's condition."];
        var assignable = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var roles = (JObject)access["roles"]!;
        var granted = ((JArray)access["grants"]!).Select(g => (string)roles[(string)g["role"]!]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return granted.Except(assignable).Select(id => $"granted by access.json but not assignable by the CI deployer: {id}")
            .Concat(assignable.Except(granted).Select(id => $"assignable by the CI deployer but granted by nothing: {id}"))
            .ToList();
    }

    [GeneratedRegex(@"^\s*ROLES=""([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex RolesLine();
}
