using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Authentication;
using Workflows.Runtime.History;

namespace EndToEnd.Tests.Authentication;

[TestClass]
public sealed class When_a_caller_forges_the_principal_header_it_never_reaches_the_workflow
{
    private const string Forged = "99999999-9999-4999-8999-999999999999";

    [TestMethod]
    public async Task Behind_the_token_rule_the_workflow_sees_the_tokens_object_id_and_no_token()
    {
        await using var app = await LocalApp.StartAsync(settings: ProtectedIntake.Settings);
        var token = app.Host.TokenIssuer!.Issue(new TokenRequest(ProtectedIntake.PublisherClientId, ProtectedIntake.PublisherObjectId, ProtectedIntake.Audience));
        var headers = ProtectedIntake.Bearer(token);
        headers[PrincipalHeaders.PrincipalId] = Forged;
        headers["X-MS-CLIENT-PRINCIPAL"] = "eyJmb3JnZWQiOnRydWV9";

        var (status, body) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "FORGE-1"), headers);
        await app.SettledAsync();

        Assert.AreEqual(202, status, body?.ToString());
        var intake = IntakeRun(app, "FORGE-1");
        Assert.AreEqual(ProtectedIntake.PublisherObjectId, ProtectedIntake.TriggerHeader(intake, PrincipalHeaders.PrincipalId));
        Assert.IsNull(ProtectedIntake.TriggerHeader(intake, "X-MS-CLIENT-PRINCIPAL"));
        Assert.IsNull(ProtectedIntake.TriggerHeader(intake, "Authorization"), "the access token reached the run history");
    }

    [TestMethod]
    public async Task On_an_open_intake_the_forged_header_is_dropped()
    {
        await using var app = await LocalApp.StartAsync();

        var (status, body) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "FORGE-2"), new Dictionary<string, string> { [PrincipalHeaders.PrincipalId] = Forged });
        await app.SettledAsync();

        Assert.AreEqual(202, status, body?.ToString());
        Assert.IsNull(ProtectedIntake.TriggerHeader(IntakeRun(app, "FORGE-2"), PrincipalHeaders.PrincipalId));
    }

    private static WorkflowRun IntakeRun(LocalApp app, string orderId) =>
        app.Host.History.Query(new RunQuery(WorkflowName: "OrderIntake")).Single(r => r.Trigger.Outputs.ToString().Contains(orderId, StringComparison.Ordinal));
}
