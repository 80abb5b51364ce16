using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Functions;

namespace OrderEvents.CustomCode.Messaging;

/// <summary>
/// What a subscriber does first with a received message: decode <c>contentData</c> in whichever shape the trigger
/// delivered it, resolve a claim check from the lake, and validate the contract. Bad input gives a specific error.
/// </summary>
public sealed class OrderMessageReader(CustomCodeServices services)
{
    private const string ContentDataPath = "contentData";
    private readonly ClaimChecks claimChecks = new(services.Store, services.Options);

    /// <param name="contentData">As the built-in trigger delivers it (Azure/logicapps issues #817, #536): a JSON object (content type
    /// <c>application/json</c>); a string holding JSON text (no content type); or <c>{"$content-type", "$content": base64}</c>.
    /// A base64 string (the managed connector's <c>ContentData</c>) is accepted too.</param>
    /// <param name="contentType">The message's content type, when the workflow passes it: must be JSON if present.</param>
    public async Task<ReadOrderMessageResult> ReadAsync(JToken? contentData, string? contentType, CancellationToken cancellationToken = default)
    {
        if (!IsJson(contentType))
        {
            return ReadOrderMessageResult.Invalid("contentType", ContractErrorCodes.UnsupportedContentType,
                $"Order messages are JSON; the content type '{Shorten(contentType!)}' is not (publish with 'application/json').");
        }
        var (body, decodeError) = Decode(contentData);
        if (decodeError is not null) return ReadOrderMessageResult.Invalid(new[] { decodeError });

        var validation = OrderEventValidator.Validate(body, readEvent: true);
        if (!validation.IsValid) return ReadOrderMessageResult.Invalid(validation.Errors);

        var @event = (JObject)body!;
        var claimCheck = @event["data"] is null;
        if (claimCheck)
        {
            var (full, errors) = await claimChecks.ResolveAsync(@event, validation, cancellationToken).ConfigureAwait(false);
            if (full is null) return ReadOrderMessageResult.Invalid(errors, claimCheck: true);
            @event = full;
        }
        // The validator (and the claim check's resolution) accepted data.orderId as a string.
        var orderId = @event["data"]?["orderId"] is JValue { Type: JTokenType.String, Value: string id } ? id : null;
        if (orderId is null)
        {
            // Unreachable for events the validator accepted; reported rather than thrown all the same.
            return ReadOrderMessageResult.Invalid(JsonPaths.Root, ContractErrorCodes.ValidatorFault, "The valid event has no data.orderId string.");
        }
        return new ReadOrderMessageResult(true, Array.Empty<ContractError>(), @event, validation.MessageId, validation.CorrelationId,
            validation.EventType, orderId, validation.SchemaVersion, claimCheck)
        { ReadEvent = claimCheck ? null : validation.Event };
    }

    private static (JToken? Body, ContractError? Error) Decode(JToken? contentData)
    {
        switch (contentData)
        {
            case null:
            case { Type: JTokenType.Null or JTokenType.Undefined }:
                return Fail(ContractErrorCodes.ContentMissing, "The message has no content.");
            case JObject envelope when envelope.ContainsKey("$content"):
                return DecodeEnvelope(envelope);
            case JValue { Type: JTokenType.String } text:
                return DecodeText((string)text!);
            case JValue { Type: JTokenType.Bytes, Value: byte[] bytes }:
                return ParseUtf8(bytes, "The binary content");
            default:
                return (contentData, null); // an object, or a value the validator rejects with its path
        }
    }

    /// <summary><c>{"$content-type": "application/json; charset=utf-8", "$content": "&lt;base64&gt;"}</c>.</summary>
    private static (JToken?, ContractError?) DecodeEnvelope(JObject envelope)
    {
        var declared = envelope["$content-type"];
        if (declared is { Type: JTokenType.String } && !IsJson((string)declared!))
        {
            return (null, new ContractError($"{ContentDataPath}['$content-type']", ContractErrorCodes.UnsupportedContentType,
                $"Order messages are JSON; the content type '{Shorten((string)declared!)}' is not."));
        }
        var content = envelope["$content"]!;
        if (content is JObject inline) return (inline, null);
        if (content.Type != JTokenType.String || !TryFromBase64((string)content!, out var bytes))
        {
            return (null, new ContractError($"{ContentDataPath}['$content']", ContractErrorCodes.ContentNotBase64, "'$content' must be the base64 of the message body."));
        }
        return ParseUtf8(bytes, "The base64 '$content'");
    }

    private static (JToken?, ContractError?) DecodeText(string text)
    {
        var trimmed = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        if (trimmed.Length == 0) return Fail(ContractErrorCodes.ContentMissing, "The message content is empty text.");
        if (trimmed[0] is '{' or '[')
        {
            return OrderEventJson.TryParse(text.TrimStart('\uFEFF'), out var token, out var error)
                ? (token, null)
                : Fail(ContractErrorCodes.ContentNotJson, $"The message text is not valid JSON: {error}");
        }
        if (TryFromBase64(text, out var bytes)) return ParseUtf8(bytes, "The base64 content");
        return Fail(ContractErrorCodes.ContentNotJson, $"The message content is neither a JSON object nor JSON text: '{Shorten(text)}'.");
    }

    private static (JToken?, ContractError?) ParseUtf8(byte[] bytes, string what)
    {
        if (OrderEventJson.TryParseUtf8(bytes, out var token, out var error, out var notUtf8)) return (token, null);
        return notUtf8
            ? Fail(ContractErrorCodes.ContentNotUtf8, $"{what} is not UTF-8 text.")
            : Fail(ContractErrorCodes.ContentNotJson, $"{what} is not valid JSON: {error}");
    }

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        bytes = Array.Empty<byte>();
        var buffer = new byte[text.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written == 0) return false;
        bytes = buffer[..written];
        return true;
    }

    /// <summary>No content type, <c>application/json</c> (any parameters), <c>text/json</c> or <c>application/*+json</c>.</summary>
    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static (JToken?, ContractError?) Fail(string code, string message) => (null, new ContractError(ContentDataPath, code, message));

    private static string Shorten(string value)
    {
        var cut = value.Length > 60 ? value[..60] + "…" : value;
        return new string(cut.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
