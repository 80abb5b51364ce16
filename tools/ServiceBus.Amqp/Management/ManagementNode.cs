using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using ServiceBus.Amqp.Connection;
using ServiceBus.Amqp.Errors;
using ServiceBus.Amqp.Links;
using ServiceBus.Amqp.Messages;
using ServiceBus.Local;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Amqp.Management;

/// <summary>
/// The <c>&lt;entity&gt;/$management</c> node: the operations of "AMQP request-response operations in Service Bus"
/// (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-request-response), each mapped onto the
/// local broker: renew-lock, peek-message, receive-by-sequence-number, update-disposition, schedule-message,
/// cancel-scheduled-message, renew-session-lock, get/set-session-state, add-rule, remove-rule, enumerate-rules.
/// Requests carry <c>operation</c> in the application properties and an AMQP map body; replies carry
/// <c>statusCode</c>, <c>statusDescription</c> (and <c>errorCondition</c> on failure) and an AMQP map body.
/// </summary>
internal sealed class ManagementNode(LocalServiceBus bus, HeldSessions sessions)
{
    private const string Prefix = "com.microsoft:";

    public async Task<AmqpMessage> HandleAsync(string entityPath, AmqpMessage request)
    {
        var operation = request.ApplicationProperties?.Map[new MapKey("operation")] as string ?? "";
        var body = request.ValueBody?.Value as AmqpMap ?? new AmqpMap();
        try
        {
            var (status, reply) = await DispatchAsync(entityPath, operation, body).ConfigureAwait(false);
            return RequestResponse.Reply("statusCode", "statusDescription", status, status == 204 ? "No Content" : "OK", reply);
        }
        catch (Exception ex)
        {
            var error = ServiceBusErrors.From(ex);
            return RequestResponse.Reply("statusCode", "statusDescription", ServiceBusErrors.StatusCodeOf(error), error.Description ?? error.Condition.Value, null, error.Condition);
        }
    }

    private async Task<(int Status, AmqpMap? Body)> DispatchAsync(string entity, string operation, AmqpMap body)
    {
        switch (operation.StartsWith(Prefix, StringComparison.Ordinal) ? operation[Prefix.Length..] : operation)
        {
            case "renew-lock":
                var expirations = new List<DateTime>();
                await using (var receiver = Receiver(entity, body))
                {
                    foreach (var token in Guids(body, "lock-tokens"))
                        expirations.Add((await receiver.Value.RenewLockAsync(token.ToString()).ConfigureAwait(false)).UtcDateTime);
                }
                return Ok(("expirations", expirations.ToArray()));

            case "peek-message":
                var from = body.Get("from-sequence-number") is long f ? f : 0;
                var count = body.Get("message-count") is int c ? c : 1;
                var peeked = body.Get("session-id") is string peekSession
                    ? await SessionReceiver(entity, peekSession).PeekAsync(count, from).ConfigureAwait(false)
                    : await bus.PeekAsync(entity, count, from).ConfigureAwait(false);
                if (peeked.Count == 0) return (204, null);
                return Ok(("messages", peeked.Select(m => Map(("message", Bytes(m, locked: false)))).ToList()));

            case "receive-by-sequence-number":
                var mode = body.Get("receiver-settle-mode") is uint settle && settle == 0 ? ReceiveMode.ReceiveAndDelete : ReceiveMode.PeekLock;
                IReadOnlyList<ServiceBusReceivedMessage> deferred;
                await using (var receiver = Receiver(entity, body, mode))
                    deferred = await receiver.Value.ReceiveDeferredAsync(Longs(body, "sequence-numbers")).ConfigureAwait(false);
                return Ok(("messages", deferred.Select(m => mode == ReceiveMode.PeekLock
                    ? Map(("message", Bytes(m, locked: true)), ("lock-token", Guid.Parse(m.LockToken)))
                    : Map(("message", Bytes(m, locked: false)))).ToList()));

            case "update-disposition":
                await using (var receiver = Receiver(entity, body))
                {
                    var status = body.Get("disposition-status") as string;
                    var properties = AmqpMessageCodec.PropertiesOf(body.Get("properties-to-modify") as AmqpMap);
                    foreach (var token in Guids(body, "lock-tokens").Select(t => t.ToString()))
                    {
                        var settled = status switch
                        {
                            "completed" => receiver.Value.CompleteAsync(token),
                            "abandoned" => receiver.Value.AbandonAsync(token, properties),
                            "defered" or "deferred" => receiver.Value.DeferAsync(token, properties),
                            "suspended" => receiver.Value.DeadLetterAsync(token, body.Get("deadletter-reason") as string, body.Get("deadletter-description") as string, properties),
                            _ => throw ServiceBusErrors.Argument($"Unknown disposition-status '{status}'."),
                        };
                        await settled.ConfigureAwait(false);
                    }
                }
                return Ok();

            case "schedule-message":
                var scheduled = new List<long>();
                foreach (var item in List(body, "messages").OfType<AmqpMap>())
                {
                    var encoded = item.Get("message") is ArraySegment<byte> bytes ? bytes.ToArray() : throw ServiceBusErrors.Argument("A message to schedule has no 'message'.");
                    using var amqp = AmqpMessageCodec.Parse(encoded);
                    var message = AmqpMessageCodec.ToBrokerMessage(amqp);
                    var at = message.ScheduledEnqueueTime ?? throw ServiceBusErrors.Argument("A message to schedule has no scheduled enqueue time.");
                    scheduled.Add(await bus.ScheduleAsync(entity, message, at).ConfigureAwait(false));
                }
                return Ok(("sequence-numbers", scheduled.ToArray()));

            case "cancel-scheduled-message":
                foreach (var sequence in Longs(body, "sequence-numbers")) await bus.CancelScheduledAsync(entity, sequence).ConfigureAwait(false);
                return Ok();

            case "renew-session-lock":
                var renewed = await SessionReceiver(entity, SessionId(body)).RenewSessionLockAsync().ConfigureAwait(false);
                return Ok(("expiration", renewed.UtcDateTime));

            case "get-session-state":
                var state = await SessionReceiver(entity, SessionId(body)).GetSessionStateAsync().ConfigureAwait(false);
                return Ok(("session-state", state is null ? (object?)null : new ArraySegment<byte>(state)));

            case "set-session-state":
                var newState = body.Get("session-state") switch
                {
                    ArraySegment<byte> s => s.ToArray(),
                    null => null,
                    var other => throw ServiceBusErrors.Argument($"session-state must be binary, not '{other.GetType().Name}'."),
                };
                await SessionReceiver(entity, SessionId(body)).SetSessionStateAsync(newState).ConfigureAwait(false);
                return Ok();

            case "add-rule":
                var ruleName = body.Get("rule-name") as string ?? throw ServiceBusErrors.Argument("add-rule needs a rule-name.");
                var description = body.Get("rule-description") as AmqpMap ?? throw ServiceBusErrors.Argument("add-rule needs a rule-description.");
                bus.AddRule(entity, RuleCodecs.FromRequest(ruleName, description));
                return Ok();

            case "remove-rule":
                bus.RemoveRule(entity, body.Get("rule-name") as string ?? throw ServiceBusErrors.Argument("remove-rule needs a rule-name."));
                return Ok();

            case "enumerate-rules":
                var skip = body.Get("skip") is int sk ? sk : 0;
                var top = body.Get("top") is int tp ? tp : int.MaxValue;
                var rules = bus.GetRules(entity).Skip(skip).Take(top).ToList();
                if (rules.Count == 0) return (204, null);
                return Ok(("rules", rules.Select(r => Map(("rule-description", RuleCodecs.ToDescription(r)))).ToList()));

            default:
                throw ServiceBusErrors.NotImplemented($"The management operation '{operation}' is not served by the local broker.");
        }
    }

    /// <summary>The receiver an operation acts through: the held session's when the request names one, else a
    /// receiver of the entity (any receiver of an entity may settle its lock tokens).</summary>
    private Borrowed Receiver(string entity, AmqpMap body, ReceiveMode mode = ReceiveMode.PeekLock) =>
        body.Get("session-id") is string sessionId && sessionId.Length > 0
            ? new Borrowed(SessionReceiver(entity, sessionId), owned: false)
            : new Borrowed(bus.CreateReceiver(entity, mode), owned: true);

    private ServiceBusSessionReceiver SessionReceiver(string entity, string sessionId) =>
        sessions.Find(entity, sessionId)
        ?? throw new ServiceBusException(ServiceBusFailureReason.SessionLockLost,
            $"The session lock has expired on the MessageSession '{sessionId}', or no receiver of this connection holds it. Accept a new MessageSession.", entity);

    private static string SessionId(AmqpMap body) =>
        body.Get("session-id") as string ?? throw ServiceBusErrors.Argument("The request names no session-id.");

    /// <summary>A message encoded for a reply's <c>message</c> field (AMQP binary).</summary>
    private static ArraySegment<byte> Bytes(ServiceBusReceivedMessage m, bool locked)
    {
        using var amqp = AmqpMessageCodec.ToAmqpMessage(m, locked);
        return new ArraySegment<byte>(AmqpMessageCodec.Encode(amqp));
    }

    private static IEnumerable<Guid> Guids(AmqpMap body, string key) => body.Get(key) switch
    {
        Guid[] guids => guids,
        IEnumerable<object> items => items.Cast<Guid>(),
        _ => throw ServiceBusErrors.Argument($"The request has no '{key}'."),
    };

    private static IEnumerable<long> Longs(AmqpMap body, string key) => body.Get(key) switch
    {
        long[] longs => longs,
        IEnumerable<object> items => items.Select(Convert.ToInt64),
        _ => throw ServiceBusErrors.Argument($"The request has no '{key}'."),
    };

    private static IEnumerable<object> List(AmqpMap body, string key) => body.Get(key) as IEnumerable<object> ?? throw ServiceBusErrors.Argument($"The request has no '{key}'.");

    private static (int, AmqpMap?) Ok(params (string Key, object? Value)[] entries) => (200, Map(entries));

    private static AmqpMap Map(params (string Key, object? Value)[] entries)
    {
        var map = new AmqpMap();
        foreach (var (key, value) in entries) map.Set(key, value);
        return map;
    }

    private readonly struct Borrowed(ServiceBusReceiver receiver, bool owned) : IAsyncDisposable
    {
        public ServiceBusReceiver Value => receiver;
        public ValueTask DisposeAsync() => owned ? receiver.DisposeAsync() : ValueTask.CompletedTask;
    }
}
