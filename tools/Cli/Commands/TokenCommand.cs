using System.Security.Cryptography;
using System.Text;
using LocalLogicApp.Authentication;
using LocalLogicApp.Hosting;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// <c>token [--client-id ID] [--object-id OID] [--audience AUD] [--minutes N]</c>: a Microsoft Entra ID-shaped access
/// token from the local issuer, for calling a <c>run</c> whose intake asks for one (<c>EasyAuth_*</c> settings). The
/// defaults make the token the intake accepts: issuer, audience and client id from those settings. Pass another
/// <c>--client-id</c> to see the intake refuse a caller. The token goes to stdout, what it says to stderr.
/// </summary>
public static class TokenCommand
{
    public static Task<int> RunAsync(CliArgs args)
    {
        var minutes = args.GetInt("minutes", 60, min: 1);
        var root = RepositoryRoot.Find();
        var settings = IntakeAuthenticationSettings.From(LocalAppSettings.Compose(root, new Dictionary<string, string>()))
                       ?? throw new CliUsageException(
                           $"the intake asks for no token: set {IntakeAuthenticationSettings.OpenIdIssuerSetting}, {IntakeAuthenticationSettings.ClientIdSetting} and " +
                           $"{IntakeAuthenticationSettings.AllowedApplicationsSetting} in local.settings.json (docs/publisher.md).");
        var clientId = args.Get("client-id") ?? settings.AllowedApplications.FirstOrDefault()
                       ?? throw new CliUsageException($"--client-id is required ({IntakeAuthenticationSettings.AllowedApplicationsSetting} names none).");
        var objectId = args.Get("object-id") ?? settings.AllowedIdentities.FirstOrDefault() ?? LocalObjectId(clientId);
        var audience = args.Get("audience") ?? settings.Audiences[0];

        var issuer = LocalTokenIssuer.OpenOrCreate(RunCommand.StateFolder(root));
        Console.Out.WriteLine(issuer.Issue(new TokenRequest(clientId, objectId, audience, TimeSpan.FromMinutes(minutes), settings.OpenIdIssuer)));
        Console.Error.WriteLine($"» token for client {clientId} (object id {objectId}), audience {audience}, issuer {settings.OpenIdIssuer}, valid {minutes} min; " +
                                "send it as 'Authorization: Bearer <token>'");
        return Task.FromResult(0);
    }

    /// <summary>The token the intake of a local <c>run</c> accepts (the allowed client, audience and issuer of the
    /// EasyAuth_* settings), or null when the intake asks for no token.</summary>
    public static string? AcceptedTokenOrNull(string root)
    {
        var settings = IntakeAuthenticationSettings.From(LocalAppSettings.Compose(root, new Dictionary<string, string>()));
        if (settings?.AllowedApplications.FirstOrDefault() is not { } clientId) return null;
        var objectId = settings.AllowedIdentities.FirstOrDefault() ?? LocalObjectId(clientId);
        return LocalTokenIssuer.OpenOrCreate(RunCommand.StateFolder(root))
            .Issue(new TokenRequest(clientId, objectId, settings.Audiences[0], TimeSpan.FromMinutes(10), settings.OpenIdIssuer));
    }

    /// <summary>A stable stand-in object id for a client id (in Entra the service principal's object id differs from the client id).</summary>
    public static string LocalObjectId(string clientId) =>
        new Guid(MD5.HashData(Encoding.UTF8.GetBytes("local-service-principal:" + clientId))).ToString("D");
}
