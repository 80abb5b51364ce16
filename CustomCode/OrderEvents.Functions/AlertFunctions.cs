using Microsoft.Azure.Functions.Extensions.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace OrderEvents.Functions;

/// <summary>Dead-letter alerts: the entry point that delegates to <c>OrderEventFunctions</c>.</summary>
public class AlertFunctions(ILoggerFactory loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<AlertFunctions>();

    [Function("BuildDeadLetterAlertCard")]
    public Task<JToken> BuildDeadLetterAlertCard([WorkflowActionTrigger] string? subscriber, JToken? deadLetter, string? runUrl = null)
    {
        logger.LogDebug("BuildDeadLetterAlertCard invoked");
        return Task.FromResult(FunctionResults.ToBody(CustomCodeStartup.Functions.BuildDeadLetterAlertCard(subscriber, deadLetter, runUrl)));
    }
}
