using Microsoft.Azure.Functions.Extensions.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace OrderEvents.Functions;

/// <summary>Idempotency and Data Lake writes: entry points that delegate to <c>OrderEventFunctions</c>.</summary>
public class StorageFunctions(ILoggerFactory loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<StorageFunctions>();

    [Function("BeginIdempotency")]
    public Task<JToken> BeginIdempotency([WorkflowActionTrigger] string consumer, string key, int leaseSeconds = 300, string? owner = null)
    {
        logger.LogDebug("BeginIdempotency invoked for {Consumer}", consumer);
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.BeginIdempotency(consumer, key, leaseSeconds, owner));
    }

    [Function("CompleteIdempotency")]
    public Task<JToken> CompleteIdempotency([WorkflowActionTrigger] string consumer, string key, string claimToken, JToken? result = null)
    {
        logger.LogDebug("CompleteIdempotency invoked for {Consumer}", consumer);
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.CompleteIdempotency(consumer, key, claimToken, result));
    }

    [Function("ReleaseIdempotency")]
    public Task<JToken> ReleaseIdempotency([WorkflowActionTrigger] string consumer, string key, string claimToken)
    {
        logger.LogDebug("ReleaseIdempotency invoked for {Consumer}", consumer);
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.ReleaseIdempotency(consumer, key, claimToken));
    }

    [Function("WriteOrderToLake")]
    public Task<JToken> WriteOrderToLake([WorkflowActionTrigger] JToken orderEvent)
    {
        logger.LogDebug("WriteOrderToLake invoked");
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.WriteOrderToLake(orderEvent));
    }

    [Function("ArchiveDeadLetter")]
    public Task<JToken> ArchiveDeadLetter([WorkflowActionTrigger] string subscriber, JToken deadLetter)
    {
        logger.LogDebug("ArchiveDeadLetter invoked for {Subscriber}", subscriber);
        return FunctionResults.ToBodyAsync(CustomCodeStartup.Functions.ArchiveDeadLetter(subscriber, deadLetter));
    }
}
