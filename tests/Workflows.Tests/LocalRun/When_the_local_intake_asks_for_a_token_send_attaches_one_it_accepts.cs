using Cli.Commands;
using LocalLogicApp.Authentication;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.LocalRun;

/// <summary><c>send</c> posts the samples to a local <c>run</c>; when that intake is protected (EasyAuth_* settings),
/// the token it attaches on its own must be one the intake lets in, and without those settings it attaches none.</summary>
[TestClass]
public sealed class When_the_local_intake_asks_for_a_token_send_attaches_one_it_accepts
{
    private const string PublisherClientId = "11111111-2222-3333-4444-555555555555";
    private const string ApiClientId = "99999999-8888-7777-6666-555555555555";
    private string root = null!;

    [TestInitialize]
    public void CreateProject() => root = Directory.CreateTempSubdirectory("send-token-").FullName;

    [TestCleanup]
    public void DeleteProject() => Directory.Delete(root, recursive: true);

    private void WriteLocalSettings(Dictionary<string, string> values) =>
        File.WriteAllText(Path.Combine(root, "local.settings.json"), new JObject { ["Values"] = JObject.FromObject(values) }.ToString());

    [TestMethod]
    public async Task The_token_is_let_in_by_the_intake_rule_of_the_same_settings()
    {
        var settings = new Dictionary<string, string>
        {
            [IntakeAuthenticationSettings.OpenIdIssuerSetting] = LocalTokenIssuer.DefaultIssuer,
            [IntakeAuthenticationSettings.ClientIdSetting] = ApiClientId,
            [IntakeAuthenticationSettings.AllowedAudiencesSetting] = "api://" + ApiClientId,
            [IntakeAuthenticationSettings.AllowedApplicationsSetting] = PublisherClientId,
        };
        WriteLocalSettings(settings);

        var token = TokenCommand.AcceptedTokenOrNull(root);

        Assert.IsNotNull(token);
        var door = IntakeAuthentication.FromSettings(settings, LocalTokenIssuer.KeySetPath(RunCommand.StateFolder(root)), TimeProvider.System)!;
        var outcome = await door.AuthenticateAsync("Bearer " + token);
        Assert.IsTrue(outcome.Allowed, outcome.Message);
        Assert.AreEqual(PublisherClientId, outcome.Caller!.ClientId);
    }

    [TestMethod]
    public void An_open_intake_gets_no_token()
    {
        WriteLocalSettings(new Dictionary<string, string> { ["Orders_TopicName"] = "orders" });

        Assert.IsNull(TokenCommand.AcceptedTokenOrNull(root));
    }
}
