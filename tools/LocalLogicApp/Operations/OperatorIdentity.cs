using System.Text;
using Azure.Core;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Operations;

/// <summary>
/// Who runs the operator's tool. <see cref="Id"/> goes on resubmitted messages (<c>resubmittedBy</c>) and in the lake's
/// audit lines, the way published events carry their publisher: the Microsoft Entra object id of the signed-in
/// principal (the <c>oid</c> claim), never a token or key; with a connection string or locally (no principal), the
/// operating-system account. <see cref="Name"/> (the UPN when the token has one) is for people and the audit line.
/// </summary>
public sealed record OperatorIdentity(string Id, string Name)
{
    public static async Task<OperatorIdentity> OfCredentialAsync(TokenCredential credential, CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext(["https://servicebus.azure.net/.default"]), cancellationToken).ConfigureAwait(false);
        return FromAccessToken(token.Token) ?? Local();
    }

    /// <summary><c>oid</c> (and <c>upn</c>) read from a JWT's payload; the signature is not checked: this is a label
    /// for the audit, the service checks the token itself.</summary>
    public static OperatorIdentity? FromAccessToken(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length < 2) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            var claims = JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var oid = claims.Value<string>("oid");
            var upn = claims.Value<string>("upn") ?? claims.Value<string>("preferred_username") ?? claims.Value<string>("appid");
            return oid is null ? null : new OperatorIdentity(oid, upn ?? oid);
        }
        catch (Exception ex) when (ex is FormatException or Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    public static OperatorIdentity Local()
    {
        var account = $"local:{Environment.UserName}@{Environment.MachineName}";
        return new OperatorIdentity(account, account);
    }

    public override string ToString() => Id == Name ? Id : $"{Name} ({Id})";
}
