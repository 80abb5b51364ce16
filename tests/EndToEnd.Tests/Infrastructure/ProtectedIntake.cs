using LocalLogicApp.Authentication;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The intake rule the tests configure, named like Easy Auth's settings: tokens from the local issuer, for the intake
/// API, from the publisher application A only (its client id and its service principal's object id).
/// </summary>
internal static class ProtectedIntake
{
    public const string ApiClientId = "6f1c2d3e-0000-4000-8000-00000000a11e";
    public const string PublisherClientId = "a0a0a0a0-1111-4222-8333-444444444444";
    public const string PublisherObjectId = "0b0b0b0b-5555-4666-8777-888888888888";
    public const string StrangerClientId = "c0c0c0c0-9999-4aaa-8bbb-cccccccccccc";
    public const string StrangerObjectId = "0d0d0d0d-dddd-4eee-8fff-000000000000";

    public static string Audience => "api://" + ApiClientId;

    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        [IntakeAuthenticationSettings.OpenIdIssuerSetting] = LocalTokenIssuer.DefaultIssuer,
        [IntakeAuthenticationSettings.ClientIdSetting] = ApiClientId,
        [IntakeAuthenticationSettings.AllowedAudiencesSetting] = Audience,
        [IntakeAuthenticationSettings.AllowedApplicationsSetting] = PublisherClientId,
    };

    public static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = "Bearer " + token };

    /// <summary>A request header of a run's trigger outputs, by name regardless of case (null when absent).</summary>
    public static string? TriggerHeader(WorkflowRun run, string name) =>
        (((JObject)run.Trigger.Outputs)["headers"] as JObject)?.Properties()
        .FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.ToString();
}
