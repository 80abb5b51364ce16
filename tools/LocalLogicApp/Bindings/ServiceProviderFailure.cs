using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;

namespace LocalLogicApp.Bindings;

/// <summary>
/// How a built-in connector reports a failed operation in the action's outputs, as Logic Apps Standard shows
/// it (Azure/logicapps#773): <c>statusCode</c> e.g. 400, body <c>{code: "ServiceProviderActionFailed",
/// message: "The service provider action failed with error code '&lt;code&gt;' and error message '&lt;text&gt;'."}</c>.
/// The inner code (e.g. <c>MessageLockLost</c>) is also kept apart in <c>errorCode</c> so a workflow or an
/// operator can branch on it without parsing text.
/// </summary>
public static class ServiceProviderFailure
{
    public static ConnectorResponse Create(int statusCode, string errorCode, string message) => new(statusCode, new JObject
    {
        ["code"] = "ServiceProviderActionFailed",
        ["message"] = $"The service provider action failed with error code '{errorCode}' and error message '{message}'.",
        ["errorCode"] = errorCode,
    });
}
