using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Messaging;

namespace OrderEvents.CustomCode.Functions;

/// <summary>Result of <c>PrepareToPublish</c>: the message to send, or every reason there is none.</summary>
/// <param name="CorrelationId">Always 1-128 visible ASCII characters (<see cref="PublisherIdentity.IsHeaderSafe"/>),
/// so the intake can put it in a response header whatever the caller sent.</param>
/// <param name="PublishedBy">The caller's object id that the message carries as <c>publishedBy</c>; null when
/// the request was not authenticated.</param>
public sealed record PublishPreparation(
    bool IsValid,
    string CorrelationId,
    string? MessageId,
    string? EventType,
    string? OrderId,
    string? PublishedBy,
    IReadOnlyList<ContractError> Errors,
    ServiceBusOutgoingMessage? Message)
{
    /// <summary>The distinct codes of <see cref="Errors"/>, sorted and joined with ','; null for a valid event. The
    /// intake tracks it (<c>errorCodes</c>) so its 400 answers can be counted by code.</summary>
    public string? ErrorCodes => ContractErrorSummary.Codes(Errors);

    /// <summary>The path of the first error, tracked beside the codes (<c>firstErrorPath</c>).</summary>
    public string? FirstErrorPath => ContractErrorSummary.FirstPath(Errors);
}

public sealed partial class OrderEventFunctions
{
    /// <summary>
    /// The intake in one step: resolves the correlation id (header, else the event's, else <paramref name="runName"/>),
    /// reads the caller's identity from the Easy Auth header, validates the event and builds the Service Bus message
    /// (claim-checking a large order). Never throws for bad input; everything wrong is in <c>errors</c>.
    /// </summary>
    /// <param name="correlationIdHeader">The request's <c>x-correlation-id</c> header, if any.</param>
    /// <param name="clientPrincipalId">The request's <c>X-MS-CLIENT-PRINCIPAL-ID</c> header, if any.</param>
    /// <param name="runName">The workflow run's name: the generated correlation id when the caller's is unusable.</param>
    [WorkflowFunction("PrepareToPublish")]
    public async Task<PublishPreparation> PrepareToPublish(JToken? orderEvent, JToken? correlationIdHeader = null, JToken? clientPrincipalId = null,
        JToken? runName = null, CancellationToken cancellationToken = default)
    {
        var eventCorrelation = orderEvent is JObject o && o["correlationId"] is JValue { Type: JTokenType.String } c ? (string?)c : null;
        var (correlationId, correlationError) = PublisherIdentity.ResolveCorrelationId(Text(correlationIdHeader), eventCorrelation, Text(runName));
        var (publishedBy, principalError) = PublisherIdentity.ReadPrincipalId(Text(clientPrincipalId));
        var requestErrors = new[] { correlationError, principalError }.OfType<ContractError>().ToList();

        var validation = OrderEventValidator.Validate(orderEvent);
        if (requestErrors.Count > 0 || !validation.IsValid)
        {
            // Nothing is built (a large order would otherwise be claim-checked into storage for a message never sent).
            return new PublishPreparation(false, correlationId, validation.MessageId, validation.EventType, validation.OrderId, publishedBy,
                requestErrors.Concat(validation.Errors).ToList(), null);
        }
        var built = await new ServiceBusMessageBuilder(services).BuildAsync(orderEvent, validation, correlationId, cancellationToken, publishedBy).ConfigureAwait(false);
        return new PublishPreparation(built.IsValid, correlationId, validation.MessageId, validation.EventType, validation.OrderId, publishedBy,
            built.Errors, built.IsValid ? built.Message : null);
    }

    /// <summary>A header value as text: headers arrive as strings; anything else (an array for a repeated header,
    /// a number) is not a usable value.</summary>
    private static string? Text(JToken? token) => token is JValue { Type: JTokenType.String } value ? (string?)value : null;
}
