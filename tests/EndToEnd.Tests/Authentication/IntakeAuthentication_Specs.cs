using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Authentication;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Authentication;

[TestClass]
public sealed class IntakeAuthentication_Specs
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private string folder = null!;
    private ManualClock clock = null!;
    private LocalTokenIssuer issuer = null!;

    [TestInitialize]
    public void Create()
    {
        folder = Path.Combine(Path.GetTempPath(), "intake-auth-" + Guid.NewGuid().ToString("N")[..8]);
        clock = new ManualClock(Start);
        issuer = LocalTokenIssuer.OpenOrCreate(folder, clock);
    }

    [TestCleanup]
    public void Delete() => Directory.Delete(folder, recursive: true);

    private IntakeAuthentication Door(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(ProtectedIntake.Settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        return IntakeAuthentication.FromSettings(settings, LocalTokenIssuer.KeySetPath(folder), clock)!;
    }

    private string PublisherToken(TimeSpan? lifetime = null, string? issuerUrl = null) =>
        issuer.Issue(new TokenRequest(ProtectedIntake.PublisherClientId, ProtectedIntake.PublisherObjectId, ProtectedIntake.Audience, lifetime, issuerUrl));

    [TestMethod]
    public async Task The_publishers_token_is_let_in_with_its_object_and_client_id()
    {
        var outcome = await Door().AuthenticateAsync("Bearer " + PublisherToken());

        Assert.IsTrue(outcome.Allowed, outcome.Message);
        Assert.AreEqual(new IntakeCaller(ProtectedIntake.PublisherObjectId, ProtectedIntake.PublisherClientId), outcome.Caller);
    }

    [TestMethod]
    public async Task The_api_client_id_itself_is_an_allowed_audience()
    {
        var token = issuer.Issue(new TokenRequest(ProtectedIntake.PublisherClientId, ProtectedIntake.PublisherObjectId, ProtectedIntake.ApiClientId));

        Assert.IsTrue((await Door().AuthenticateAsync("Bearer " + token)).Allowed);
    }

    [TestMethod]
    public async Task An_expired_token_is_401_after_the_five_minute_skew_not_before()
    {
        var token = PublisherToken(TimeSpan.FromMinutes(10));
        var door = Door();

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.IsTrue((await door.AuthenticateAsync("Bearer " + token)).Allowed, "within the skew");
        clock.Advance(TimeSpan.FromMinutes(2));
        var outcome = await door.AuthenticateAsync("Bearer " + token);

        Assert.AreEqual(401, outcome.StatusCode);
        StringAssert.Contains(outcome.Message, "expired");
    }

    [TestMethod]
    public async Task A_token_signed_by_a_key_the_issuer_does_not_publish_is_401()
    {
        var otherFolder = Path.Combine(folder, "other");
        var stranger = LocalTokenIssuer.OpenOrCreate(otherFolder, clock);
        var token = stranger.Issue(new TokenRequest(ProtectedIntake.PublisherClientId, ProtectedIntake.PublisherObjectId, ProtectedIntake.Audience));

        var outcome = await Door().AuthenticateAsync("Bearer " + token);

        Assert.AreEqual(401, outcome.StatusCode);
        StringAssert.Contains(outcome.Message, "key");
    }

    [TestMethod]
    public async Task A_token_of_another_issuer_is_401()
    {
        var outcome = await Door().AuthenticateAsync("Bearer " + PublisherToken(issuerUrl: "https://login.microsoftonline.com/another-tenant/v2.0"));

        Assert.AreEqual(401, outcome.StatusCode);
        StringAssert.Contains(outcome.Message, "issuer");
    }

    [TestMethod]
    public async Task A_tampered_token_is_401()
    {
        var parts = PublisherToken().Split('.');
        var payload = parts[1].ToCharArray();
        payload[10] = payload[10] == 'A' ? 'B' : 'A';

        var outcome = await Door().AuthenticateAsync($"Bearer {parts[0]}.{new string(payload)}.{parts[2]}");

        Assert.AreEqual(401, outcome.StatusCode);
    }

    [TestMethod]
    public async Task Garbage_or_another_scheme_is_401_never_an_exception()
    {
        var door = Door();

        Assert.AreEqual("InvalidToken", (await door.AuthenticateAsync("Bearer not-a-jwt")).Code);
        Assert.AreEqual("InvalidToken", (await door.AuthenticateAsync("Basic dXNlcjpwYXNz")).Code);
        Assert.AreEqual("MissingToken", (await door.AuthenticateAsync(null)).Code);
    }

    [TestMethod]
    public async Task With_allowed_identities_another_principal_of_the_allowed_application_is_403()
    {
        var door = Door(new Dictionary<string, string> { [IntakeAuthenticationSettings.AllowedIdentitiesSetting] = ProtectedIntake.PublisherObjectId });
        var token = issuer.Issue(new TokenRequest(ProtectedIntake.PublisherClientId, ProtectedIntake.StrangerObjectId, ProtectedIntake.Audience));

        var outcome = await door.AuthenticateAsync("Bearer " + token);

        Assert.AreEqual(403, outcome.StatusCode);
        Assert.AreEqual("PrincipalNotAllowed", outcome.Code);
    }

    [TestMethod]
    public void Without_an_issuer_setting_the_intake_is_open_and_without_any_audience_it_refuses_to_start()
    {
        Assert.IsNull(IntakeAuthenticationSettings.From(new Dictionary<string, string>()));
        var error = Assert.Throws<InvalidOperationException>(() => IntakeAuthenticationSettings.From(
            new Dictionary<string, string> { [IntakeAuthenticationSettings.OpenIdIssuerSetting] = LocalTokenIssuer.DefaultIssuer }));
        StringAssert.Contains(error.Message, IntakeAuthenticationSettings.ClientIdSetting);
    }

    [TestMethod]
    public void The_key_set_holds_only_the_public_key_and_a_second_open_reuses_the_key()
    {
        var again = LocalTokenIssuer.OpenOrCreate(folder, clock);
        var keySet = File.ReadAllText(LocalTokenIssuer.KeySetPath(folder));

        Assert.AreEqual(issuer.KeySet().ToString(), again.KeySet().ToString());
        Assert.DoesNotContain("\"d\"", keySet);
        Assert.DoesNotContain("\"p\"", keySet);
    }
}
