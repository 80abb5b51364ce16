using Cli.Iac;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure.Bicep;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// Power Platform's publisher principal A (parameters publisherPrincipalObjectId and publisherClientId) may do exactly
/// two things: call the intake (the one client application and identity App Service authentication lets through) and
/// send to the orders topic. The Request trigger takes Microsoft Entra tokens only: SAS is turned off. An environment may
/// let one more identity in, its release's, to post the smoke order (parameters smokeTestCallerClientId/ObjectId; none by
/// default).
/// </summary>
[TestClass]
public sealed class When_Power_Platform_publishes_only_its_own_principal_gets_in
{
    private const string ObjectId = "⟪parameters('publisherPrincipalObjectId')⟫";
    private const string ClientId = "⟪parameters('publisherClientId')⟫";

    [TestMethod]
    public void A_holds_Data_Sender_on_the_orders_topic_and_no_other_role()
    {
        var grants = RoleMatrix.Grants(RepositoryFiles.MainTemplate().ExpandResources()).Where(g => g.Identity == "publisherPrincipalObjectId").ToList();
        CollectionAssert.AreEqual(new[] { "publisherPrincipalObjectId | Azure Service Bus Data Sender | topic orders" }, grants.Select(g => g.ToString()).ToArray());
    }

    [TestMethod]
    public void App_Service_authentication_lets_only_A_call_the_intake()
    {
        var problems = IntakeAuthenticationProblems(RepositoryFiles.MainTemplate().ExpandResources());
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void A_appears_nowhere_but_in_its_one_role_assignment_and_the_intake_authentication()
    {
        var places = PlacesNaming(RepositoryFiles.MainTemplate().ExpandResources());
        CollectionAssert.AreEquivalent(new[]
        {
            "Microsoft.Authorization/roleAssignments: properties.principalId",
            "Microsoft.Web/sites/config authsettingsV2: properties.identityProviders.azureActiveDirectory.validation.jwtClaimChecks.allowedClientApplications[0]",
            "Microsoft.Web/sites/config authsettingsV2: properties.identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications[0]",
            "Microsoft.Web/sites/config authsettingsV2: properties.identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedPrincipals.identities[0]",
        }, places.ToArray());
    }

    [TestMethod]
    public void SAS_authentication_of_the_Request_trigger_is_disabled()
    {
        var site = RepositoryFiles.MainTemplate().ExpandResources().Single(r => r.Type == "Microsoft.Web/sites");
        Assert.AreEqual("Disabled", (string?)site.Json.SelectToken("properties.logicAppsAccessControlConfiguration.triggers.sasAuthenticationPolicy.state"));
    }

    [TestMethod]
    public void Letting_any_application_of_the_tenant_in_is_reported()
    {
        var compiled = (JObject)CompiledInfrastructure.MainTemplateJson().DeepClone();
        var auth = ((JArray)CompiledInfrastructure.ModuleTemplate(compiled, "logicapp")["resources"]!)
            .First(r => ((string?)r["name"] ?? "").Contains("authsettingsV2", StringComparison.Ordinal));
        var validation = (JObject)auth.SelectToken("properties.identityProviders.azureActiveDirectory.validation")!;
        validation.Remove("defaultAuthorizationPolicy");
        validation.Remove("jwtClaimChecks");

        var problems = IntakeAuthenticationProblems(new ArmTemplate(compiled).ExpandResources());

        Assert.HasCount(3, problems, string.Join("\n", problems));
        Assert.IsTrue(problems.All(p => p.Contains("A's", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void An_environment_that_lets_its_release_post_the_smoke_order_adds_that_one_identity_after_A()
    {
        var parameters = JObject.Parse("""{ "parameters": { "smokeTestCallerClientId": { "value": "release-client-id" }, "smokeTestCallerObjectId": { "value": "release-object-id" } } }""");
        var auth = CompiledInfrastructure.MainTemplate(parameters).ExpandResources()
            .Single(r => r.Type == "Microsoft.Web/sites/config" && r.Name.EndsWith("/authsettingsV2", StringComparison.Ordinal));
        var validation = auth.Json.SelectToken("properties.identityProviders.azureActiveDirectory.validation")!;

        CollectionAssert.AreEqual(new[] { ClientId, "release-client-id" }, validation.SelectToken("jwtClaimChecks.allowedClientApplications")!.Values<string>().ToArray());
        CollectionAssert.AreEqual(new[] { ClientId, "release-client-id" }, validation.SelectToken("defaultAuthorizationPolicy.allowedApplications")!.Values<string>().ToArray());
        CollectionAssert.AreEqual(new[] { ObjectId, "release-object-id" }, validation.SelectToken("defaultAuthorizationPolicy.allowedPrincipals.identities")!.Values<string>().ToArray());
    }

    [TestMethod]
    public void A_second_role_for_A_is_found()
    {
        var compiled = (JObject)CompiledInfrastructure.MainTemplateJson().DeepClone();
        var grants = (JArray)compiled.SelectToken("variables.$fxv#0.grants")!;
        var second = grants.First(g => (string?)g["principal"] == "publisherPrincipalObjectId").DeepClone();
        second["role"] = "Azure Service Bus Data Receiver";
        second["scope"] = "subscription";
        second["name"] = "orders/lake-archive";
        grants.Add(second);

        var grantsForA = RoleMatrix.Grants(new ArmTemplate(compiled).ExpandResources()).Where(g => g.Identity == "publisherPrincipalObjectId").ToList();

        Assert.HasCount(2, grantsForA);
        Assert.IsTrue(grantsForA.Any(g => g.Scope == "subscription orders/lake-archive"));
    }

    private static List<string> IntakeAuthenticationProblems(IReadOnlyList<ArmResource> resources)
    {
        var problems = new List<string>();
        var auth = resources.SingleOrDefault(r => r.Type == "Microsoft.Web/sites/config" && r.Name.EndsWith("/authsettingsV2", StringComparison.Ordinal));
        if (auth is null) return ["No authsettingsV2: the Request trigger is open to anyone holding its URL."];
        var p = auth.Json["properties"]!;
        if ((bool?)p.SelectToken("platform.enabled") != true) problems.Add("App Service authentication is not enabled.");
        if ((bool?)p.SelectToken("globalValidation.requireAuthentication") != true) problems.Add("requireAuthentication is not true.");
        var aad = p.SelectToken("identityProviders.azureActiveDirectory");
        if ((bool?)aad?["enabled"] != true) problems.Add("The Microsoft Entra provider is not enabled.");
        var issuer = (string?)aad?.SelectToken("registration.openIdIssuer") ?? "";
        if (!issuer.StartsWith("https://sts.windows.net/", StringComparison.Ordinal) && !issuer.StartsWith("https://login.microsoftonline.com/", StringComparison.Ordinal))
        {
            problems.Add($"The issuer '{issuer}' is not a Microsoft Entra issuer.");
        }
        if ((aad?.SelectToken("validation.allowedAudiences") as JArray ?? []).Count == 0) problems.Add("No allowed audience.");
        if (!OnlyA(aad?.SelectToken("validation.defaultAuthorizationPolicy.allowedApplications"), ClientId)) problems.Add("The allowed applications are not exactly A's client id.");
        if (!OnlyA(aad?.SelectToken("validation.jwtClaimChecks.allowedClientApplications"), ClientId)) problems.Add("The allowed client applications (JWT claim check) are not exactly A's client id.");
        if (!OnlyA(aad?.SelectToken("validation.defaultAuthorizationPolicy.allowedPrincipals.identities"), ObjectId)) problems.Add("The allowed identities are not exactly A's object id.");
        return problems;
    }

    private static bool OnlyA(JToken? list, string value) => list is JArray { Count: 1 } array && (string?)array[0] == value;

    private static IEnumerable<string> PlacesNaming(IEnumerable<ArmResource> resources) =>
        resources.SelectMany(r => r.Json.Descendants().OfType<JValue>()
            .Where(v => v.Type == JTokenType.String && ((string)v!).Contains("⟪parameters('publisher", StringComparison.Ordinal))
            .Select(v => $"{r.Type}{(r.Type == "Microsoft.Web/sites/config" ? " " + r.Name.Split('/')[^1] : "")}: {v.Path}"));
}
