namespace Workflows.Runtime.Definitions;

/// <summary>The action types this runtime executes (the <c>type</c> property, matched case-insensitively).</summary>
public enum ActionKind
{
    Compose,
    ParseJson,
    InitializeVariable,
    SetVariable,
    IncrementVariable,
    DecrementVariable,
    AppendToArrayVariable,
    AppendToStringVariable,
    If,
    Switch,
    Foreach,
    Until,
    Scope,
    Terminate,
    Response,
    Http,
    InvokeFunction,
    CSharpScriptCode,
    ServiceProvider,
    ApiConnection,
    OpenApiConnection,
    Query,
    Select,
    Join,
    Wait,
}

/// <summary>The trigger types this runtime fires.</summary>
public enum TriggerKind
{
    Request,
    ServiceProvider,
    Recurrence,
    OpenApiConnectionWebhook,
}
