using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Functions;

namespace OrderEvents.CustomCode.Messaging;

/// <summary>
/// Turns a valid order event into the message the intake sends to the <c>orders</c> topic: business message id
/// (duplicate detection), session per order (FIFO per order), routing properties, and a claim check for large orders.
/// </summary>
public sealed class ServiceBusMessageBuilder(CustomCodeServices services)
{
    private readonly ClaimChecks claimChecks = new(services.Store, services.Options);

    /// <param name="correlationId">The caller's correlation id (the intake's x-correlation-id header); when given it
    /// wins over the event's and is written into the body too, so broker property and body agree.</param>
    /// <param name="publishedBy">The authenticated caller's object id (<see cref="PublisherIdentity.ReadPrincipalId"/>): the
    /// application property <c>publishedBy</c>, absent when null (audit trail: who published the event).</param>
    public Task<BuildMessageResult> BuildAsync(JToken? orderEvent, string? correlationId, CancellationToken cancellationToken = default, string? publishedBy = null) =>
        BuildAsync(orderEvent, OrderEventValidator.Validate(orderEvent), correlationId, cancellationToken, publishedBy);

    /// <param name="validation">What <see cref="OrderEventValidator.Validate"/> found for this very <paramref name="orderEvent"/>
    /// (the intake validated it already: validating every event twice was a third of the intake's custom-code CPU).</param>
    internal async Task<BuildMessageResult> BuildAsync(JToken? orderEvent, OrderEventValidation validation, string? correlationId, CancellationToken cancellationToken,
        string? publishedBy)
    {
        var errors = validation.Errors.ToList();
        var correlation = validation.CorrelationId;
        if (!string.IsNullOrWhiteSpace(correlationId))
        {
            if (OrderEventValidator.IsValidCorrelationId(correlationId)) correlation = correlationId;
            else errors.Add(new ContractError("correlationId", ContractErrorCodes.InvalidCorrelationId,
                "The correlationId parameter must be 1-128 visible ASCII characters without spaces."));
        }
        if (errors.Count > 0) return BuildMessageResult.Invalid(errors);

        var contract = validation.Contract!;
        var messageId = validation.MessageId!;
        var @event = (JObject)orderEvent!.DeepClone();
        @event["correlationId"] = correlation;

        JObject body, data;
        PayloadReference? reference = null;
        if (@event["data"] is JObject inline)
        {
            data = inline;
            body = @event;
            if (OrderEventJson.Utf8Length(@event) > services.Options.ClaimCheckThresholdBytes)
            {
                var serialized = OrderEventJson.ToUtf8(@event);
                var (stored, conflict) = await claimChecks.StoreAsync(contract, messageId, OrderEventJson.OccurredUtc(@event), serialized, cancellationToken).ConfigureAwait(false);
                if (conflict is not null) return BuildMessageResult.Invalid(new[] { conflict });
                reference = stored!;
                body = ClaimChecks.Envelope(@event, reference);
            }
        }
        else
        {
            // The publisher claim-checked the order itself: verify it now, so that routing properties and the
            // session id come from the real order and a broken reference is refused at the intake, not downstream.
            var (full, resolveErrors) = await claimChecks.ResolveAsync(@event, validation with { CorrelationId = correlation }, cancellationToken).ConfigureAwait(false);
            if (full is null) return BuildMessageResult.Invalid(resolveErrors);
            data = (JObject)full["data"]!;
            reference = ClaimChecks.ReferenceOf(@event);
            body = @event;
        }

        var orderId = (string)data["orderId"]!;
        var customer = (JObject)data["customer"]!;
        var userProperties = new Dictionary<string, object>
        {
            [OrderMessageProperties.EventType] = contract.EventType,
            [OrderMessageProperties.Source] = (string)@event["source"]!,
            [OrderMessageProperties.SchemaVersion] = contract.SchemaVersion,
            [OrderMessageProperties.OrderId] = orderId,
            [OrderMessageProperties.SmsOptIn] = customer["smsOptIn"]?.Type == JTokenType.Boolean && (bool)customer["smsOptIn"]!,
            [OrderMessageProperties.HasPhone] = customer["phone"]?.Type == JTokenType.String,
            [OrderMessageProperties.ClaimCheck] = reference is not null,
        };
        if (publishedBy is not null) userProperties[OrderMessageProperties.PublishedBy] = publishedBy;
        var message = new ServiceBusOutgoingMessage(body, OrderEventJson.ContentType, messageId, correlation!, orderId, userProperties);
        return new BuildMessageResult(true, Array.Empty<ContractError>(), message, reference is not null, reference);
    }
}
