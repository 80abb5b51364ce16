namespace LocalLogicApp.Authentication;

/// <summary>
/// The local twin of the Logic App's App Service authentication (Easy Auth, <c>authsettingsV2</c>) for the
/// Microsoft Entra ID provider. Each app setting is named after the <c>authsettingsV2</c> property it stands for
/// (deploy/infra sets those in Azure), so the local rule and the Azure rule read alike:
/// <list type="table">
/// <item><term><c>EasyAuth_OpenIdIssuer</c></term><description><c>identityProviders.azureActiveDirectory.registration.openIdIssuer</c>: the token's <c>iss</c> must equal it.</description></item>
/// <item><term><c>EasyAuth_ClientId</c></term><description><c>registration.clientId</c>: the intake API's application id, "always implicitly considered to be an allowed audience".</description></item>
/// <item><term><c>EasyAuth_AllowedAudiences</c></term><description><c>validation.allowedAudiences</c> (comma-separated).</description></item>
/// <item><term><c>EasyAuth_AllowedApplications</c></term><description><c>validation.defaultAuthorizationPolicy.allowedApplications</c>: the token's <c>azp</c> (v2) or <c>appid</c> (v1) must be one of them.</description></item>
/// <item><term><c>EasyAuth_AllowedIdentities</c></term><description><c>defaultAuthorizationPolicy.allowedPrincipals.identities</c>: the token's <c>oid</c> must be one of them (optional).</description></item>
/// </list>
/// Source: Learn, "Configure your App Service or Azure Functions app to use Microsoft Entra sign-in"
/// (https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad), sections "Enable Microsoft
/// Entra ID in your App Service app" and "Use a built-in authorization policy". The rule is on when
/// <c>EasyAuth_OpenIdIssuer</c> is set; without it the local intake is open, as before.
/// </summary>
public sealed record IntakeAuthenticationSettings(
    string OpenIdIssuer,
    string? ClientId,
    IReadOnlyList<string> AllowedAudiences,
    IReadOnlyList<string> AllowedApplications,
    IReadOnlyList<string> AllowedIdentities)
{
    public const string OpenIdIssuerSetting = "EasyAuth_OpenIdIssuer";
    public const string ClientIdSetting = "EasyAuth_ClientId";
    public const string AllowedAudiencesSetting = "EasyAuth_AllowedAudiences";
    public const string AllowedApplicationsSetting = "EasyAuth_AllowedApplications";
    public const string AllowedIdentitiesSetting = "EasyAuth_AllowedIdentities";

    /// <summary>Every audience a token may carry: the allowed audiences plus the API's own client id (Learn: implicit).</summary>
    public IReadOnlyList<string> Audiences =>
        ClientId is null ? AllowedAudiences : AllowedAudiences.Append(ClientId).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The settings from app settings; null when <c>EasyAuth_OpenIdIssuer</c> is absent or empty (open intake).
    /// A rule that can't accept any token (no audience at all) is a configuration error, said at startup.</summary>
    public static IntakeAuthenticationSettings? From(IReadOnlyDictionary<string, string> appSettings)
    {
        var issuer = Value(appSettings, OpenIdIssuerSetting);
        if (issuer is null) return null;
        var settings = new IntakeAuthenticationSettings(
            issuer,
            Value(appSettings, ClientIdSetting),
            List(appSettings, AllowedAudiencesSetting),
            List(appSettings, AllowedApplicationsSetting),
            List(appSettings, AllowedIdentitiesSetting));
        if (settings.Audiences.Count == 0)
        {
            throw new InvalidOperationException(
                $"{OpenIdIssuerSetting} is set but neither {ClientIdSetting} nor {AllowedAudiencesSetting} is: no token could ever be accepted. Set the intake API's client id.");
        }
        return settings;
    }

    /// <summary>One line for the startup log (no secret in it: these are identifiers).</summary>
    public string Describe() =>
        $"Microsoft Entra ID tokens only: issuer {OpenIdIssuer}, audiences {string.Join(", ", Audiences)}, " +
        (AllowedApplications.Count == 0 ? "ANY client application of the issuer (set " + AllowedApplicationsSetting + " to restrict)" : "client applications " + string.Join(", ", AllowedApplications)) +
        (AllowedIdentities.Count == 0 ? "" : ", identities " + string.Join(", ", AllowedIdentities));

    private static string? Value(IReadOnlyDictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static IReadOnlyList<string> List(IReadOnlyDictionary<string, string> settings, string name) =>
        (Value(settings, name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
