using System.Globalization;
using System.Security.Cryptography;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Messaging;

/// <summary>
/// The claim-check pattern for orders too large for the broker: the full event is stored once in the lake under a
/// path derived from the event alone (so a retry finds the same object), and the message carries a
/// <c>payloadReference</c> with the object's size and SHA-256, which the reader verifies.
/// </summary>
public sealed class ClaimChecks(IObjectStore store, CustomCodeOptions options)
{
    /// <summary><c>claimchecks/{eventType}/v{major}/{yyyy}/{MM}/{dd}/{messageId}.json</c>, dated by <c>occurredUtc</c>.</summary>
    public static string PathFor(string eventType, int major, DateTimeOffset occurredUtc, string messageId) =>
        string.Create(CultureInfo.InvariantCulture, $"claimchecks/{eventType}/v{major}/{occurredUtc.UtcDateTime:yyyy}/{occurredUtc.UtcDateTime:MM}/{occurredUtc.UtcDateTime:dd}/{messageId}.json");

    public static string Sha256Hex(ReadOnlySpan<byte> content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    /// <summary>Stores the serialized event (create-if-absent). An identical object already there is fine (a retry);
    /// a different one under the same business message id is a conflict.</summary>
    /// <remarks>Storage faults propagate: they are transient, and the caller's retry must not look like bad input.</remarks>
    public async Task<(PayloadReference? Reference, ContractError? Error)> StoreAsync(
        OrderEventContract contract, string messageId, DateTimeOffset occurredUtc, byte[] serializedEvent, CancellationToken cancellationToken)
    {
        var path = PathFor(contract.EventType, contract.Major, occurredUtc, messageId);
        var reference = new PayloadReference
        {
            Path = path,
            Container = options.LakeContainer,
            SizeBytes = serializedEvent.Length,
            Sha256 = Sha256Hex(serializedEvent),
        };
        if (await store.TryCreateAsync(options.LakeContainer, path, serializedEvent, OrderEventJson.ContentType, cancellationToken).ConfigureAwait(false) is not null)
        {
            return (reference, null);
        }
        var existing = await store.ReadAsync(options.LakeContainer, path, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Content.Span.SequenceEqual(serializedEvent))
        {
            return (reference, null);
        }
        return (null, new ContractError("$.messageId", ContractErrorCodes.ClaimCheckConflict,
            $"A different payload is already stored at {options.LakeContainer}/{path}: the message id '{messageId}' was reused for another event. Give each business operation its own message id."));
    }

    /// <summary>Loads and verifies the event a valid claim-check envelope points to.</summary>
    public async Task<(JObject? Event, IReadOnlyList<ContractError> Errors)> ResolveAsync(JObject envelope, OrderEventValidation envelopeValidation, CancellationToken cancellationToken)
    {
        const string referencePath = "$.payloadReference";
        var reference = (JObject)envelope["payloadReference"]!;
        var container = (string)reference["container"]!;
        var path = (string)reference["path"]!;
        var sizeBytes = (long)(double)reference["sizeBytes"]!;
        var sha256 = (string)reference["sha256"]!;

        // Only the lake's claim checks may be read: a message must not make a subscriber fetch arbitrary objects.
        if (!string.Equals(container, options.LakeContainer, StringComparison.Ordinal))
        {
            return Fail($"{referencePath}.container", ContractErrorCodes.ClaimCheckContainerNotAllowed,
                $"Claim checks are read from the container '{options.LakeContainer}' only, not '{container}'.");
        }
        // The contract's path rule is looser than the stores' naming rules (e.g. a segment of 300 characters): such a
        // path names nothing that can exist, so it is the publisher's error, never a storage fault (a 500 would be retried).
        if (!ObjectNames.IsValidObjectName(path, out var nameProblem))
        {
            return Fail($"{referencePath}.path", ContractErrorCodes.ClaimCheckPayloadMissing,
                $"The claim-checked payload {container}/{path} cannot exist: {nameProblem}");
        }
        var stored = await store.ReadAsync(container, path, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return Fail($"{referencePath}.path", ContractErrorCodes.ClaimCheckPayloadMissing, $"The claim-checked payload {container}/{path} does not exist.");
        }
        var content = stored.Content.Span;
        if (content.Length != sizeBytes)
        {
            return Fail($"{referencePath}.sizeBytes", ContractErrorCodes.ClaimCheckSizeMismatch,
                $"The stored payload {container}/{path} has {content.Length} bytes, the reference says {sizeBytes}: it was changed or truncated.");
        }
        var actualHash = Sha256Hex(content);
        if (!string.Equals(actualHash, sha256, StringComparison.Ordinal))
        {
            return Fail($"{referencePath}.sha256", ContractErrorCodes.ClaimCheckHashMismatch,
                $"The SHA-256 of the stored payload {container}/{path} is {actualHash}, the reference says {sha256}: it was changed.");
        }
        if (!OrderEventJson.TryParseUtf8(content, out var token, out var parseError, out _))
        {
            return Fail(referencePath, ContractErrorCodes.ClaimCheckPayloadInvalid, $"The stored payload {container}/{path} is not JSON: {parseError}");
        }
        var validation = OrderEventValidator.Validate(token);
        if (!validation.IsValid)
        {
            var errors = new List<ContractError>
            {
                new(referencePath, ContractErrorCodes.ClaimCheckPayloadInvalid, $"The stored payload {container}/{path} breaks the contract; its errors follow (paths inside the stored event)."),
            };
            errors.AddRange(validation.Errors);
            return (null, errors);
        }
        var full = (JObject)token!;
        if (full["data"] is null)
        {
            return Fail(referencePath, ContractErrorCodes.ClaimCheckPayloadInvalid, $"The stored payload {container}/{path} is itself a claim check; it must carry 'data'.");
        }
        if (validation.MessageId != envelopeValidation.MessageId || validation.EventType != envelopeValidation.EventType || validation.SchemaVersion != envelopeValidation.SchemaVersion)
        {
            return Fail(referencePath, ContractErrorCodes.ClaimCheckMismatch,
                $"The stored payload is {validation.EventType} {validation.SchemaVersion} '{validation.MessageId}', but the message is {envelopeValidation.EventType} {envelopeValidation.SchemaVersion} '{envelopeValidation.MessageId}'.");
        }
        // The message's correlation id is the one the broker carried; the stored copy follows it.
        full["correlationId"] = envelopeValidation.CorrelationId;
        return (full, Array.Empty<ContractError>());
    }

    /// <summary>The envelope of a claim-check message: the event without <c>data</c>, plus the reference.</summary>
    public static JObject Envelope(JObject fullEvent, PayloadReference reference)
    {
        var envelope = new JObject();
        foreach (var property in fullEvent.Properties())
        {
            if (property.Name != "data") envelope.Add(property.Name, property.Value.DeepClone());
        }
        envelope["payloadReference"] = new JObject
        {
            ["path"] = reference.Path,
            ["container"] = reference.Container,
            ["sizeBytes"] = reference.SizeBytes,
            ["sha256"] = reference.Sha256,
        };
        return envelope;
    }

    public static PayloadReference ReferenceOf(JObject envelope) => new()
    {
        Path = (string)envelope["payloadReference"]!["path"]!,
        Container = (string?)envelope["payloadReference"]!["container"],
        SizeBytes = (long)(double)envelope["payloadReference"]!["sizeBytes"]!,
        Sha256 = (string?)envelope["payloadReference"]!["sha256"],
    };

    private static (JObject?, IReadOnlyList<ContractError>) Fail(string path, string code, string message) =>
        (null, new[] { new ContractError(path, code, message) });
}
