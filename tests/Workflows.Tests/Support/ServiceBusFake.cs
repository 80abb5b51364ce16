using LocalLogicApp.Bindings;
using LocalLogicApp.Bindings.ServiceBus;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;

namespace Workflows.Tests.Support;

/// <summary>One settle call a workflow made, and whether the broker accepted it.</summary>
public sealed record Settlement(string Operation, JObject Parameters, bool Accepted)
{
    public string? LockToken => Parameters.Value<string>("lockToken");
    public string? DeadLetterReason => Parameters.Value<string>("deadLetterReason");
    public string? DeadLetterErrorDescription => Parameters.Value<string>("deadLetterErrorDescription");

    /// <summary>complete, abandon, deadLetter or defer, whatever the connector generation (V2, session, queue).</summary>
    public string Kind => Operation switch
    {
        _ when Operation.StartsWith("complete", StringComparison.OrdinalIgnoreCase) => "complete",
        _ when Operation.StartsWith("abandon", StringComparison.OrdinalIgnoreCase) => "abandon",
        _ when Operation.StartsWith("deadLetter", StringComparison.OrdinalIgnoreCase) => "deadLetter",
        _ when Operation.StartsWith("defer", StringComparison.OrdinalIgnoreCase) => "defer",
        _ => Operation,
    };
}

/// <summary>
/// Plays the built-in Service Bus connector (<c>/serviceProviders/serviceBus</c>) around the real workflows:
/// hands out deliveries in the trigger's output shape (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/servicebus/, Azure/logicapps issues #817, #536) with a fresh lock token each, and
/// answers the settle operations like the broker would: a lock settles once, and settling a lock that was
/// already used, expired (<see cref="ExpireLock"/>) or replayed by a resubmitted run fails with
/// <c>MessageLockLost</c> in the connector's failure shape. Every settle call and every sent message is recorded.
/// </summary>
public sealed class ServiceBusFake
{
    private static readonly string[] SettleOperations =
    [
        "completeMessageInSession", "abandonMessageInSession", "deadLetterMessageInSession", "deferMessageInSession",
        "completeTopicMessageV2", "abandonTopicMessageV2", "deadLetterTopicMessageV2", "deferTopicMessageV2",
        "completeQueueMessageV2", "abandonQueueMessageV2", "deadLetterQueueMessageV2", "deferQueueMessageV2",
    ];

    private readonly ManualClock clock;
    private readonly HashSet<string> heldLocks = new(StringComparer.Ordinal);
    private readonly List<Settlement> settlements = [];
    private readonly List<JObject> sent = [];
    private readonly Queue<ConnectorResponse> sendAnswers = new();
    private readonly Lock gate = new();
    private int lockCounter;
    private long sequenceNumber = 1000;

    public ServiceBusFake(FakeServiceProviderBinding binding, ManualClock clock)
    {
        this.clock = clock;
        foreach (var operation in SettleOperations) binding.On(operation, request => Settle(request.OperationId, request.Parameters));
        binding.On("sendMessage", request => Send(request.Parameters));
    }

    public IReadOnlyList<Settlement> Settlements
    {
        get { lock (gate) return settlements.ToArray(); }
    }

    /// <summary>The <c>message</c> parameter of every accepted <c>sendMessage</c>.</summary>
    public IReadOnlyList<JObject> Sent
    {
        get { lock (gate) return sent.ToArray(); }
    }

    /// <summary>The broker's answer to the next <c>sendMessage</c> calls, in order (then: accepted).</summary>
    public void AnswerSendWith(ConnectorResponse answer, int times = 1)
    {
        lock (gate)
        {
            for (var i = 0; i < times; i++) sendAnswers.Enqueue(answer);
        }
    }

    /// <summary>
    /// Receives <paramref name="message"/> (a <c>sendMessage</c> message object) as the trigger hands it to a
    /// run: converted by the local connector's own <see cref="ConnectorMessages"/>, with a new lock token.
    /// </summary>
    public JObject Deliver(JObject message, int deliveryCount = 1)
    {
        var broker = ConnectorMessages.ToBrokerMessage(message);
        string lockToken;
        long sequence;
        lock (gate)
        {
            lockToken = $"lock-{++lockCounter:D4}";
            sequence = sequenceNumber;
            heldLocks.Add(lockToken);
        }
        var now = clock.GetUtcNow();
        return new JObject
        {
            ["contentData"] = ConnectorMessages.ContentData(broker.Body, broker.ContentType),
            ["contentType"] = broker.ContentType,
            ["sessionId"] = broker.SessionId,
            ["userProperties"] = new JObject(broker.ApplicationProperties.Select(p => new JProperty(p.Key, p.Value is null ? JValue.CreateNull() : JToken.FromObject(p.Value)))),
            ["messageId"] = broker.MessageId,
            ["lockToken"] = lockToken,
            ["correlationId"] = broker.CorrelationId,
            ["timeToLive"] = "14.00:00:00",
            ["deliveryCount"] = deliveryCount,
            ["enqueuedSequenceNumber"] = 0,
            ["enqueuedTimeUtc"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
            ["lockedUntilUtc"] = now.AddMinutes(5).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
            ["sequenceNumber"] = sequence,
        };
    }

    /// <summary>The same message delivered again (after an abandon or an expired lock): new lock, delivery count + 1.</summary>
    public JObject Redeliver(JObject delivery)
    {
        var again = (JObject)delivery.DeepClone();
        lock (gate)
        {
            again["lockToken"] = $"lock-{++lockCounter:D4}";
            heldLocks.Add((string)again["lockToken"]!);
        }
        again["deliveryCount"] = delivery.Value<int>("deliveryCount") + 1;
        return again;
    }

    /// <summary>The lock of <paramref name="delivery"/> expires (a run longer than the lock duration).</summary>
    public void ExpireLock(JObject delivery)
    {
        lock (gate) heldLocks.Remove(delivery.Value<string>("lockToken") ?? "");
    }

    public IReadOnlyList<Settlement> SettlementsOf(JObject delivery) =>
        Settlements.Where(s => s.LockToken == delivery.Value<string>("lockToken")).ToList();

    /// <summary>The connector's answer for a lock that is no longer held (Azure/logicapps#773 shape).</summary>
    public static ConnectorResponse LockLost() =>
        ServiceProviderFailure.Create(400, ServiceBusFault.LockLost().Reason.ToString(), ServiceBusFault.LockLost().Message);

    private ConnectorResponse Settle(string operation, JObject parameters)
    {
        var lockToken = parameters.Value<string>("lockToken") ?? "";
        lock (gate)
        {
            var held = heldLocks.Remove(lockToken);
            settlements.Add(new Settlement(operation, (JObject)parameters.DeepClone(), held));
            return held ? new ConnectorResponse(200, new JObject()) : LockLost();
        }
    }

    private ConnectorResponse Send(JObject parameters)
    {
        lock (gate)
        {
            if (sendAnswers.TryDequeue(out var answer) && !answer.IsSuccess) return answer;
            sent.Add((JObject)parameters["message"]!.DeepClone());
            sequenceNumber++;
            return new ConnectorResponse(200, new JObject());
        }
    }

    /// <summary>
    /// <paramref name="message"/> as it reaches a dead-letter queue: the broker adds <c>DeadLetterReason</c> and
    /// <c>DeadLetterErrorDescription</c> to its properties (forwarded from the subscription's dead-letter queue).
    /// </summary>
    public static JObject DeadLettered(JObject message, string? reason, string? description)
    {
        var copy = (JObject)message.DeepClone();
        var properties = copy["userProperties"] as JObject ?? new JObject();
        properties["DeadLetterReason"] = reason;
        properties["DeadLetterErrorDescription"] = description;
        copy["userProperties"] = properties;
        return copy;
    }

    /// <summary>A message object with any content, for poison messages the message builder would refuse to build.</summary>
    public static JObject RawMessage(string messageId, string content, string? contentType = "application/json", string? sessionId = "100482", string? correlationId = null) => new()
    {
        ["contentData"] = content,
        ["contentType"] = contentType,
        ["messageId"] = messageId,
        ["sessionId"] = sessionId,
        ["correlationId"] = correlationId,
    };
}
