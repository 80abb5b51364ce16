using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Mapping;

namespace OrderEvents.CustomCode.Messaging;

/// <summary>
/// What the intake takes from the HTTP request besides the body: the caller's correlation id and the caller's
/// identity. Both may reach a response header or a broker property, so only text that is safe there survives.
/// </summary>
public static class PublisherIdentity
{
    /// <summary>The request header App Service authentication (Easy Auth) sets to the caller's object id. The platform
    /// strips it from incoming requests, so a value can only come from the authentication module
    /// (Learn, "Work with user identities in Azure App Service authentication",
    /// https://learn.microsoft.com/en-us/azure/app-service/configure-authentication-user-identities, "Access user claims in app code").</summary>
    public const string ClientPrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    public const string CorrelationIdHeader = "x-correlation-id";

    public const int MaxCorrelationIdLength = 128;

    /// <summary>True for 1 to 128 visible ASCII characters (U+0021..U+007E): the contract's correlation id, and a legal
    /// HTTP field value (RFC 9110 §5.5, field-vchar without obs-text, which servers reject).</summary>
    public static bool IsHeaderSafe(string? text) =>
        text is { Length: > 0 and <= MaxCorrelationIdLength } && text.All(c => c is >= '!' and <= '~');

    /// <summary>
    /// The correlation id of a publish request: the header when it is usable, else the event's own when it is usable,
    /// else <paramref name="fallback"/> (the workflow run's name, which is also the run's default client tracking id),
    /// else a new GUID. An unusable header is an error that names the replacement; an unusable event field is already
    /// the validator's error. The result is always header-safe.
    /// </summary>
    public static (string CorrelationId, ContractError? Error) ResolveCorrelationId(string? header, string? eventCorrelationId, string? fallback)
    {
        var generated = IsHeaderSafe(fallback) ? fallback! : Guid.NewGuid().ToString("D");
        if (!string.IsNullOrEmpty(header))
        {
            if (IsHeaderSafe(header)) return (header, null);
            return (generated, new ContractError($"headers['{CorrelationIdHeader}']", ContractErrorCodes.InvalidCorrelationId,
                $"The {CorrelationIdHeader} header must be 1 to {MaxCorrelationIdLength} visible ASCII characters (it was {Describe(header)}); " +
                $"this answer and the run use the generated correlation id {generated} instead."));
        }
        return IsHeaderSafe(eventCorrelationId) ? (eventCorrelationId!, null) : (generated, null);
    }

    /// <summary>The caller's object id from <see cref="ClientPrincipalIdHeader"/>: null when absent (no authentication
    /// in front of the intake, e.g. locally), the GUID in its canonical form when valid, an error otherwise.</summary>
    public static (string? PrincipalId, ContractError? Error) ReadPrincipalId(string? header)
    {
        if (header is null || header.Length == 0) return (null, null);
        if (Guid.TryParseExact(header.Trim(), "D", out var id)) return (id.ToString("D"), null);
        return (null, new ContractError($"headers['{ClientPrincipalIdHeader}']", InvalidPrincipalId,
            $"The {ClientPrincipalIdHeader} header must be the caller's object id, a GUID (it was {Describe(header)}); nothing was published."));
    }

    public const string InvalidPrincipalId = "InvalidPrincipalId";

    private static string Describe(string value) =>
        IsHeaderSafe(value) ? $"'{value}'" : $"{value.Length} characters, some not visible ASCII: '{SafeText.Truncate(SafeText.StripControlCharacters(value), 40)}'";
}
