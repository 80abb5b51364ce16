using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Messaging;

/// <summary>The <c>message</c> object of the built-in Service Bus <c>sendMessage</c> action (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/servicebus/).</summary>
public sealed record ServiceBusOutgoingMessage(
    JObject ContentData,
    string ContentType,
    string MessageId,
    string CorrelationId,
    string SessionId,
    IReadOnlyDictionary<string, object> UserProperties);

/// <summary>Result of <c>BuildServiceBusMessage</c>: a message to send, or the reasons there is none.</summary>
public sealed record BuildMessageResult(
    bool IsValid,
    IReadOnlyList<ContractError> Errors,
    ServiceBusOutgoingMessage? Message,
    bool ClaimCheck,
    PayloadReference? PayloadReference)
{
    public static BuildMessageResult Invalid(IReadOnlyList<ContractError> errors) => new(false, errors, null, false, null);
}

/// <summary>Result of <c>ReadOrderMessage</c>: the full, valid order event a subscriber works on, or why not.</summary>
public sealed record ReadOrderMessageResult(
    bool IsValid,
    IReadOnlyList<ContractError> Errors,
    JObject? OrderEvent,
    string? MessageId,
    string? CorrelationId,
    string? EventType,
    string? OrderId,
    string? SchemaVersion,
    bool ClaimCheck)
{
    /// <summary>The typed view of <see cref="OrderEvent"/> for C# callers (not part of the workflow result). Read when asked
    /// for, each time: the subscribers' functions never need it (their mappers read the JSON), and reading it on every
    /// delivery went through Newtonsoft's reflection-based deserializer.</summary>
    [JsonIgnore] public OrderEvent? Event => IsValid && OrderEvent is not null ? OrderEventJson.ToTyped(OrderEvent) : null;

    /// <summary>The event as the mappers read it (<see cref="Mapping.OrderEventReader"/>), made by the validation that
    /// accepted it, when it carried its data inline; null otherwise (a claim-checked event is read from its payload).</summary>
    [JsonIgnore] internal OrderEvent? ReadEvent { get; init; }

    public static ReadOrderMessageResult Invalid(IReadOnlyList<ContractError> errors, bool claimCheck = false) =>
        new(false, errors, null, null, null, null, null, null, claimCheck);

    public static ReadOrderMessageResult Invalid(string path, string code, string message) =>
        Invalid(new[] { new ContractError(path, code, message) });
}
