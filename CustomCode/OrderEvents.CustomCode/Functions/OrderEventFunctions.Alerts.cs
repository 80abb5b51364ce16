using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Alerts;

namespace OrderEvents.CustomCode.Functions;

public sealed partial class OrderEventFunctions
{
    /// <summary>The Teams Adaptive Card for a dead-lettered message (the built-in trigger's message object).</summary>
    [WorkflowFunction("BuildDeadLetterAlertCard")]
    public DeadLetterAlert BuildDeadLetterAlertCard(string? subscriber, JToken? deadLetter, string? runUrl = null) =>
        DeadLetterAlertCard.Build(subscriber, deadLetter, runUrl);
}
