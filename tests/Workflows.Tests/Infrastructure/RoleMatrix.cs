using System.Text.RegularExpressions;
using Cli.Iac;

namespace Workflows.Tests.Infrastructure;

/// <summary>One role assignment as people read it: which identity, which built-in role, on what.</summary>
public sealed record Grant(string Identity, string Role, string Scope)
{
    public override string ToString() => $"{Identity} | {Role} | {Scope}";
}

/// <summary>
/// The least-privilege rules of the template: the role assignments it makes (read from the expanded template),
/// the matrix docs/identities.md documents, and the scopes and roles that are never acceptable.
/// </summary>
public static partial class RoleMatrix
{
    /// <summary>Built-in role definition ids (Microsoft Learn, "Azure built-in roles"; see docs/identities.md for sources).</summary>
    public static readonly IReadOnlyDictionary<string, string> RoleNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"] = "Azure Service Bus Data Sender",
        ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"] = "Azure Service Bus Data Receiver",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        ["090c5cfd-751d-490a-894a-3ce6f1109419"] = "Azure Service Bus Data Owner",
        ["73c42c96-874c-492b-b04d-ab87d138a893"] = "Log Analytics Reader",
        ["b70c96e9-66fe-4c09-b6e7-c98e69c98555"] = "Logic Apps Standard Operator (Preview)",
        ["f58310d9-a9f6-439a-9e8d-f62e7b41a168"] = "Role Based Access Control Administrator",
        ["36243c78-bf99-498c-9df9-86d9f8d28608"] = "Resource Policy Contributor",
    };

    /// <summary>Principals the template does not create but is given as parameters (object ids), by parameter name.</summary>
    public static readonly IReadOnlySet<string> ExternalPrincipals = new HashSet<string>(StringComparer.Ordinal)
    {
        "publisherPrincipalObjectId", "operatorsGroupObjectId", "powerBiRefreshPrincipalObjectId",
    };

    /// <summary>The only roles the template may grant: data-plane roles, reading the logs and operating (not editing)
    /// the Logic App; none that manage resources or access.</summary>
    public static readonly IReadOnlySet<string> AllowedRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "Azure Service Bus Data Sender", "Azure Service Bus Data Receiver", "Storage Blob Data Contributor", "Key Vault Secrets User",
        "Log Analytics Reader", "Logic Apps Standard Operator (Preview)",
    };

    /// <summary>Scope kinds narrow enough for a grant: one entity, one container, one secret, the workspace, the app.</summary>
    public static readonly IReadOnlySet<string> AllowedScopeKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "topic", "subscription", "queue", "container", "secret", "workspace", "logic-app",
    };

    private static readonly IReadOnlyDictionary<string, string> ScopeKinds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["namespaces"] = "namespace", ["topics"] = "topic", ["subscriptions"] = "subscription", ["queues"] = "queue",
        ["storageAccounts"] = "storage account", ["blobServices"] = "blob service", ["containers"] = "container",
        ["vaults"] = "key vault", ["secrets"] = "secret", ["workspaces"] = "workspace", ["sites"] = "logic-app",
    };

    /// <summary>Scope kinds of which the template deploys exactly one: named by kind only (their names carry a hash).</summary>
    private static readonly IReadOnlySet<string> SingletonKinds = new HashSet<string>(StringComparer.Ordinal) { "workspace", "logic-app" };

    /// <summary>The role assignments of an expanded template.</summary>
    public static IReadOnlyList<Grant> Grants(IEnumerable<ArmResource> resources) =>
        resources.Where(r => r.Type.Equals("Microsoft.Authorization/roleAssignments", StringComparison.OrdinalIgnoreCase))
            .Select(r =>
            {
                var properties = r.Json["properties"]!;
                var principal = (string?)properties["principalId"] ?? "";
                var identity = IdentityInPrincipal().Match(principal) is { Success: true } m ? m.Groups[1].Value
                    : ParameterPrincipal().Match(principal) is { Success: true } p ? p.Groups[1].Value
                    : $"(not a user-assigned identity: {principal})";
                var roleId = ((string?)properties["roleDefinitionId"] ?? "").Split('/')[^1];
                var role = RoleNames.TryGetValue(roleId, out var name) ? name : $"(unknown role {roleId})";
                return new Grant(identity, role, DescribeScope(r.Scope));
            })
            .ToList();

    /// <summary>"subscription orders/sap-fulfillment" from "Microsoft.ServiceBus/namespaces/ns/topics/orders/subscriptions/sap-fulfillment".</summary>
    public static string DescribeScope(string? scope)
    {
        if (string.IsNullOrEmpty(scope)) return "resource group";
        var relative = scope.Contains("/providers/", StringComparison.OrdinalIgnoreCase)
            ? scope[(scope.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase) + "/providers/".Length)..]
            : scope.TrimStart('/');
        if (relative.StartsWith("subscriptions/", StringComparison.OrdinalIgnoreCase)) return "subscription (Azure)";
        var segments = relative.Split('/');
        if (segments.Length < 3 || segments.Length % 2 == 0) return $"(unreadable scope {scope})";
        // segments: provider, type1, name1, type2, name2, ...
        var lastType = segments[^2];
        var kind = ScopeKinds.TryGetValue(lastType, out var k) ? k : lastType;
        if (SingletonKinds.Contains(kind)) return kind;
        var names = Enumerable.Range(0, (segments.Length - 1) / 2).Select(i => segments[2 + 2 * i]).Skip(1)
            .Where(n => n != "default").ToList();
        return names.Count == 0 ? $"{kind} {segments[2]}" : $"{kind} {string.Join("/", names)}";
    }

    /// <summary>Rows of the first Markdown table whose header is "Identity | Role | Scope" (backticks ignored).</summary>
    public static IReadOnlyList<Grant> ParseDocumentedMatrix(string markdown)
    {
        var rows = new List<Grant>();
        var inTable = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith('|')) { if (inTable) break; continue; }
            var cells = line.Trim('|').Split('|').Select(c => c.Trim().Replace("`", "")).ToArray();
            if (!inTable)
            {
                inTable = cells.Length >= 3 && cells[0] == "Identity" && cells[1] == "Role" && cells[2] == "Scope";
                continue;
            }
            if (cells.All(c => c.Trim('-', ':').Length == 0)) continue;
            if (cells.Length >= 3) rows.Add(new Grant(cells[0], cells[1], cells[2]));
        }
        return rows;
    }

    /// <summary>Grants that break the rules whatever the matrix says.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<Grant> grants)
    {
        var violations = new List<string>();
        foreach (var grant in grants)
        {
            if (!AllowedRoles.Contains(grant.Role)) violations.Add($"{grant}: role '{grant.Role}' is not a data-plane role this solution needs.");
            var kind = grant.Scope.Split(' ')[0];
            if (!AllowedScopeKinds.Contains(kind)) violations.Add($"{grant}: scope '{grant.Scope}' is wider than one entity, container or secret.");
            if (grant.Identity.StartsWith('(') || (!grant.Identity.StartsWith("id-orders-", StringComparison.Ordinal) && !ExternalPrincipals.Contains(grant.Identity)))
            {
                violations.Add($"{grant}: the principal is neither one of the template's user-assigned identities nor a known principal parameter.");
            }
        }
        return violations;
    }

    /// <summary>Differences between what the template grants and what docs/identities.md documents.</summary>
    public static IReadOnlyList<string> CompareWithDocumented(IEnumerable<Grant> actual, IEnumerable<Grant> documented)
    {
        var actualSet = actual.Select(g => g.ToString()).ToList();
        var documentedSet = documented.Select(g => g.ToString()).ToList();
        return actualSet.Except(documentedSet).Select(g => $"granted but not in the documented matrix: {g}")
            .Concat(documentedSet.Except(actualSet).Select(g => $"in the documented matrix but not granted: {g}"))
            .Concat(actualSet.GroupBy(g => g).Where(g => g.Count() > 1).Select(g => $"granted twice: {g.Key}"))
            .ToList();
    }

    [GeneratedRegex(@"userAssignedIdentities/([^/)\]]+)\)", RegexOptions.IgnoreCase)]
    private static partial Regex IdentityInPrincipal();

    [GeneratedRegex(@"^⟪parameters\('([A-Za-z0-9]+)'\)⟫$")]
    private static partial Regex ParameterPrincipal();
}
