using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LocalLogicApp.Authentication;

/// <summary>The caller a valid, allowed token names.</summary>
public sealed record IntakeCaller(string? ObjectId, string ClientId);

/// <summary>The verdict on a request: <see cref="Caller"/> when let in, else the status (401 or 403), an error code
/// and a message that says what is wrong (never the token itself).</summary>
public sealed record AuthenticationOutcome(IntakeCaller? Caller, int StatusCode, string Code, string Message)
{
    public bool Allowed => Caller is not null;

    public static AuthenticationOutcome Allow(IntakeCaller caller) => new(caller, 200, "", "");

    public static AuthenticationOutcome Unauthorized(string code, string message) => new(null, 401, code, message);

    public static AuthenticationOutcome Forbidden(string code, string message) => new(null, 403, code, message);
}

/// <summary>
/// The intake's door, as App Service authentication keeps it in Azure for the Microsoft Entra ID provider: a bearer
/// token must be signed by the issuer's key, come from the configured issuer, be for one of the allowed audiences and
/// be within its lifetime, else 401; a valid token whose client application (<c>azp</c>/<c>appid</c>) or principal
/// (<c>oid</c>) the authorization policy does not allow gets 403 ("Requests that fail these built-in checks get an
/// HTTP 403 Forbidden response", Learn, https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad,
/// "Use a built-in authorization policy"). Signature, issuer and audience are checked by Microsoft's own
/// JsonWebTokenHandler; the lifetime against the injected clock, with the handler's default five-minute skew.
/// </summary>
public sealed class IntakeAuthentication
{
    private static readonly TimeSpan ClockSkew = TokenValidationParameters.DefaultClockSkew;
    private readonly JsonWebTokenHandler handler = new();
    private readonly TokenValidationParameters parameters;
    private readonly TimeProvider clock;

    public IntakeAuthentication(IntakeAuthenticationSettings settings, IReadOnlyList<SecurityKey> signingKeys, TimeProvider clock)
    {
        Settings = settings;
        this.clock = clock;
        parameters = new TokenValidationParameters
        {
            ValidIssuer = settings.OpenIdIssuer,
            ValidAudiences = settings.Audiences,
            IssuerSigningKeys = signingKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            // Lifetime is checked below against the injected clock (deterministic tests, same rule).
            ValidateLifetime = false,
            RequireExpirationTime = true,
        };
    }

    public IntakeAuthenticationSettings Settings { get; }

    /// <summary>The rule of the app settings with the signing keys of the key set file; null when not configured.</summary>
    public static IntakeAuthentication? FromSettings(IReadOnlyDictionary<string, string> appSettings, string keySetPath, TimeProvider clock)
    {
        var settings = IntakeAuthenticationSettings.From(appSettings);
        if (settings is null) return null;
        if (!File.Exists(keySetPath))
            throw new InvalidOperationException($"The intake requires tokens but there is no signing key set at {keySetPath}.");
        var keys = new JsonWebKeySet(File.ReadAllText(keySetPath)).GetSigningKeys().ToList();
        return new IntakeAuthentication(settings, keys, clock);
    }

    /// <summary>The local host's door: the rule of its app settings, checked against the local issuer's keys in its
    /// state folder (generated on first use); both null when the settings ask for no token.</summary>
    public static (IntakeAuthentication? Door, LocalTokenIssuer? Issuer) ForLocalHost(IReadOnlyDictionary<string, string> appSettings, string stateFolder, TimeProvider clock)
    {
        if (IntakeAuthenticationSettings.From(appSettings) is null) return (null, null);
        var issuer = LocalTokenIssuer.OpenOrCreate(stateFolder, clock);
        return (FromSettings(appSettings, LocalTokenIssuer.KeySetPath(stateFolder), clock), issuer);
    }

    /// <summary>Judges the request's <c>Authorization</c> header value (null when absent).</summary>
    public async Task<AuthenticationOutcome> AuthenticateAsync(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
            return AuthenticationOutcome.Unauthorized("MissingToken", "The intake requires a Microsoft Entra ID access token: send 'Authorization: Bearer <token>'.");
        var parts = authorization.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return AuthenticationOutcome.Unauthorized("InvalidToken", "The Authorization header must use the Bearer scheme with a Microsoft Entra ID access token.");

        var result = await handler.ValidateTokenAsync(parts[1], parameters).ConfigureAwait(false);
        if (!result.IsValid) return AuthenticationOutcome.Unauthorized("InvalidToken", Reason(result.Exception));
        var token = (JsonWebToken)result.SecurityToken;

        var now = clock.GetUtcNow().UtcDateTime;
        if (token.ValidTo != DateTime.MinValue && now > token.ValidTo + ClockSkew)
            return AuthenticationOutcome.Unauthorized("InvalidToken", $"The token expired at {token.ValidTo:O}.");
        if (token.ValidFrom != DateTime.MinValue && now + ClockSkew < token.ValidFrom)
            return AuthenticationOutcome.Unauthorized("InvalidToken", $"The token is not valid before {token.ValidFrom:O}.");

        var clientId = Claim(token, "azp") ?? Claim(token, "appid");
        var objectId = Claim(token, "oid");
        if (clientId is null)
            return AuthenticationOutcome.Forbidden("ClientNotAllowed", "The token names no client application (neither 'azp' nor 'appid'); only access tokens are accepted.");
        if (Settings.AllowedApplications.Count > 0 && !Settings.AllowedApplications.Contains(clientId, StringComparer.OrdinalIgnoreCase))
            return AuthenticationOutcome.Forbidden("ClientNotAllowed", $"The client application '{clientId}' is not allowed to call the intake (allowed: {string.Join(", ", Settings.AllowedApplications)}).");
        if (Settings.AllowedIdentities.Count > 0 && (objectId is null || !Settings.AllowedIdentities.Contains(objectId, StringComparer.OrdinalIgnoreCase)))
            return AuthenticationOutcome.Forbidden("PrincipalNotAllowed", $"The principal '{objectId ?? "(no oid claim)"}' is not allowed to call the intake.");
        return AuthenticationOutcome.Allow(new IntakeCaller(objectId, clientId));
    }

    private static string? Claim(JsonWebToken token, string type) =>
        token.TryGetPayloadValue<string>(type, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Says which check failed, in words, from the handler's exception type (its message may quote the token).</summary>
    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenMalformedException => "The token is not a well-formed JWT.",
        SecurityTokenInvalidIssuerException => "The token was not issued by the configured issuer.",
        SecurityTokenInvalidAudienceException => "The token is not meant for the intake (wrong audience).",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with a key the issuer does not publish.",
        SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenInvalidAlgorithmException => "The token is signed with an algorithm the intake does not accept.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        _ => "The token could not be validated.",
    };
}
