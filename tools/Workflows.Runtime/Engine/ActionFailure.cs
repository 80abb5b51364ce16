using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Engine;

/// <summary>
/// Thrown by an action handler to fail its action with Logic Apps' shape: the action's <c>code</c>, an
/// <c>error</c> object (<c>{code, message}</c>) and, optionally, outputs to keep (e.g. an HTTP error response).
/// </summary>
internal sealed class ActionFailure : Exception
{
    public ActionFailure(string code, string errorCode, string message, JToken? outputs = null, WorkflowStatus status = WorkflowStatus.Failed)
        : base(message)
    {
        Code = code;
        Error = new JObject { ["code"] = errorCode, ["message"] = message };
        Outputs = outputs;
        Status = status;
    }

    public ActionFailure(string code, JObject error, JToken? outputs)
        : base(error.Value<string>("message") ?? code)
    {
        Code = code;
        Error = error;
        Outputs = outputs;
        Status = WorkflowStatus.Failed;
    }

    public string Code { get; }

    public JObject Error { get; }

    public JToken? Outputs { get; }

    public WorkflowStatus Status { get; }

    /// <summary>An input that is not what the action needs: Logic Apps answers these with BadRequest.</summary>
    public static ActionFailure BadRequest(string errorCode, string message) => new("BadRequest", errorCode, message);
}
