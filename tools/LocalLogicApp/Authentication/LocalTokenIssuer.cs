using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Authentication;

/// <summary>What a test token says about its caller: the application (client id, <c>azp</c>/<c>appid</c>) and its
/// service principal (object id, <c>oid</c>), for the audience it is meant for.</summary>
public sealed record TokenRequest(string ClientId, string ObjectId, string Audience, TimeSpan? Lifetime = null, string? Issuer = null);

/// <summary>
/// A stand-in for Microsoft Entra ID's token endpoint, for local runs and tests only: it signs app-only access tokens
/// (client credentials, the shape Entra issues: <c>iss</c>, <c>aud</c>, <c>azp</c> and <c>appid</c>, <c>oid</c> =
/// <c>sub</c>, <c>tid</c>, <c>idtyp</c> = app, <c>ver</c> 2.0; Learn, "Access token claims reference",
/// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference) with an RSA key generated on
/// first use in <c>&lt;state&gt;/auth/</c> (under .local, never committed). The public part is written next to it as a
/// JSON Web Key Set (RFC 7517), which the intake reads the way Easy Auth reads the issuer's published signing keys.
/// It checks no client secret: proving the caller's credentials is Entra's job, not the intake's.
/// </summary>
public sealed class LocalTokenIssuer
{
    public const string FolderName = "auth";
    public const string PrivateKeyFile = "issuer-key.pem";
    public const string KeySetFile = "jwks.json";

    /// <summary>The tenant of the local issuer (a fixed, obviously local GUID).</summary>
    public const string LocalTenantId = "00000000-0000-0000-0000-00000000000a";

    /// <summary>The v2.0 issuer URL form Learn gives for Easy Auth's Issuer Url, for the local tenant.</summary>
    public static readonly string DefaultIssuer = $"https://login.microsoftonline.com/{LocalTenantId}/v2.0";

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);
    private readonly RsaSecurityKey key;
    private readonly TimeProvider clock;

    private LocalTokenIssuer(RsaSecurityKey key, TimeProvider clock)
    {
        this.key = key;
        this.clock = clock;
    }

    /// <summary>The key set file next to the private key of <paramref name="stateFolder"/>.</summary>
    public static string KeySetPath(string stateFolder) => Path.Combine(stateFolder, FolderName, KeySetFile);

    /// <summary>Opens the issuer of a state folder, generating its key pair on first use. Two processes starting at
    /// once agree on one key: the file is created exclusively and the loser reads the winner's.</summary>
    public static LocalTokenIssuer OpenOrCreate(string stateFolder, TimeProvider? clock = null)
    {
        var folder = Path.Combine(stateFolder, FolderName);
        Directory.CreateDirectory(folder);
        var privatePath = Path.Combine(folder, PrivateKeyFile);
        var rsa = RSA.Create();
        try
        {
            if (!File.Exists(privatePath))
            {
                using var generated = RSA.Create(2048);
                try
                {
                    using var stream = new FileStream(privatePath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                    using var writer = new StreamWriter(stream);
                    writer.Write(generated.ExportPkcs8PrivateKeyPem());
                }
                catch (IOException) when (File.Exists(privatePath))
                {
                    // Another process created it first: use theirs.
                }
            }
            rsa.ImportFromPem(ReadWhenComplete(privatePath));
            var securityKey = new RsaSecurityKey(rsa) { KeyId = KeyId(rsa) };
            var issuer = new LocalTokenIssuer(securityKey, clock ?? TimeProvider.System);
            File.WriteAllText(KeySetPath(stateFolder), issuer.KeySet().ToString());
            return issuer;
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"{privatePath} is not an RSA private key in PEM form ({ex.Message}); delete it and a new one is generated.", ex);
        }
    }

    /// <summary>Signs an access token for <paramref name="request"/>, valid from now for its lifetime (default one hour).</summary>
    public string Issue(TokenRequest request)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = request.Issuer ?? DefaultIssuer,
            Audience = request.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (request.Lifetime ?? DefaultLifetime),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["azp"] = request.ClientId,
                ["appid"] = request.ClientId,
                ["oid"] = request.ObjectId,
                ["sub"] = request.ObjectId,
                ["tid"] = LocalTenantId,
                ["idtyp"] = "app",
                ["ver"] = "2.0",
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>The public key as a JSON Web Key Set (no private parameter in it).</summary>
    public JObject KeySet()
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new JObject
        {
            ["keys"] = new JArray(new JObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = SecurityAlgorithms.RsaSha256,
                ["kid"] = key.KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            }),
        };
    }

    /// <summary>The RFC 7638 thumbprint of the public key, as Entra's key ids are stable per key.</summary>
    private static string KeyId(RSA rsa)
    {
        var parameters = rsa.ExportParameters(false);
        var canonical = $"{{\"e\":\"{Base64UrlEncoder.Encode(parameters.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlEncoder.Encode(parameters.Modulus)}\"}}";
        return Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>A key file another process is still writing reads as incomplete PEM for a moment: retry briefly.</summary>
    private static string ReadWhenComplete(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var text = File.ReadAllText(path);
            if (text.Contains("-----END", StringComparison.Ordinal) || attempt >= 50) return text;
            Thread.Sleep(20);
        }
    }
}
