namespace LocalLogicApp.Authentication;

/// <summary>
/// The identity headers App Service authentication hands the app: "External requests aren't allowed to set these
/// headers, so they're present only if set by App Service" (Learn, "Work with user identities in Azure App Service
/// authentication", https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities, "Access
/// user claims in app code"). Whatever a caller sends under those names is dropped before the workflow sees the
/// request; an authenticated caller's object id is then set as <c>X-MS-CLIENT-PRINCIPAL-ID</c>.
/// </summary>
public static class PrincipalHeaders
{
    public const string PrincipalId = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string IdentityProvider = "X-MS-CLIENT-PRINCIPAL-IDP";

    /// <summary>The header families App Service sets itself: <c>X-MS-CLIENT-PRINCIPAL*</c> and the token headers <c>X-MS-TOKEN-*</c>.</summary>
    public static bool IsPlatformHeader(string name) =>
        name.StartsWith("X-MS-CLIENT-PRINCIPAL", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("X-MS-TOKEN-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The request's headers without the ones only the platform may set.</summary>
    public static Dictionary<string, string> WithoutPlatformHeaders(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers.Where(h => !IsPlatformHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Sets the authenticated caller's headers (object id and the provider name Easy Auth uses for Entra ID, <c>aad</c>).</summary>
    public static void AddCaller(IDictionary<string, string> headers, IntakeCaller caller)
    {
        if (caller.ObjectId is not null) headers[PrincipalId] = caller.ObjectId;
        headers[IdentityProvider] = "aad";
    }
}
