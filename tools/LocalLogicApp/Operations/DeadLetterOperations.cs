using System.Globalization;
using System.Text;
using Azure.Messaging.ServiceBus;
using LocalLogicApp.Bindings.ServiceBus;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Lake;
using OrderEvents.CustomCode.Storage;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;

namespace LocalLogicApp.Operations;

/// <summary>
/// The operator's dead-letter verbs, on the official client (Azure.Messaging.ServiceBus) for Azure and the local
/// broker alike (locally the broker is reached over AMQP, <c>servicebus serve</c> / <c>run</c>): the entities come
/// from the topology file the infrastructure deploys (<c>deploy/servicebus/Config.json</c>), the archive and the
/// audit trail from the lake container through <see cref="IObjectStore"/>.
/// <para>Resubmit sends a copy to the topic with the same business messageId and <c>resubmitTo</c> naming one
/// subscriber: every subscription's rules admit a message carrying <c>resubmitTo</c> only when it names that
/// subscription (its <c>resubmit</c> rule), so the copy reaches the failing subscriber only. The copy records who (the
/// operator's object id) and when (<c>resubmittedBy</c>, <c>resubmittedAt</c>) and the lake gets an audit line.</para>
/// </summary>
public sealed class DeadLetterOperations(ServiceBusClient client, Topology topology, IObjectStore lake, string lakeContainer, OperatorIdentity operatorIdentity, TimeProvider clock)
{
    public const string AlertQueuePrefix = "deadletters-";
    public const string ResubmitToProperty = "resubmitTo";
    public const string ResubmittedByProperty = "resubmittedBy";
    public const string ResubmittedAtProperty = "resubmittedAt";
    public const string AuditRoot = "audit/deadletters";
    private const int Batch = 250;

    /// <summary>How long, in Azure, an idempotency record kept per message outlives its last change before the lake
    /// account's lifecycle rule deletes it: the defaults of <c>deploy/infra/main.bicep</c>, <c>runRetentionInDays</c>
    /// (30) + <c>idempotencyRetentionMarginDays</c> (60); a spec compares them.</summary>
    public static readonly TimeSpan IdempotencyRecordsKept = TimeSpan.FromDays(90);

    /// <summary>What resubmitting <paramref name="deadLetter"/> at <paramref name="now"/> may repeat, or null: one that
    /// entered its dead-letter queue longer than <see cref="IdempotencyRecordsKept"/> ago may have lost its subscribers'
    /// idempotency records (docs/operations.md, "Resubmit within 90 days").</summary>
    public static string? ResubmitWarning(DeadLetter deadLetter, DateTimeOffset now)
    {
        if (deadLetter.EnqueuedUtc is not { } enqueued || now - enqueued <= IdempotencyRecordsKept) return null;
        return $"It was dead-lettered {(now - enqueued).TotalDays:0} days ago, past the {IdempotencyRecordsKept.TotalDays:0} days Azure keeps " +
               "the idempotency records of a message: a subscriber whose record is gone repeats its side effect (an update or a " +
               "cancellation applied again, an SMS sent again; SAP's order registry still stops a second sales order).";
    }

    private TopicDefinition Topic => topology.Topics.FirstOrDefault() ?? throw new InvalidOperationException("The topology has no topic.");

    /// <summary>Names of the subscribers (the topic's subscriptions).</summary>
    public IReadOnlyList<string> Subscribers => Topic.Subscriptions.Select(s => s.Name).ToList();

    /// <summary>Every dead letter: peeked from the broker (nothing is locked, no delivery count changes) and read
    /// from the archive when <paramref name="includeArchive"/>.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(bool includeArchive, CancellationToken cancellationToken)
    {
        var found = new List<DeadLetter>();
        foreach (var (path, location) in BrokerPlaces())
            found.AddRange(await PeekAllAsync(path, location, cancellationToken).ConfigureAwait(false));
        if (includeArchive) found.AddRange(await ArchiveAsync(cancellationToken).ConfigureAwait(false));
        return found;
    }

    /// <summary>Sends a copy of the dead letter to <paramref name="toSubscriber"/> only, with the same messageId; then
    /// removes a broker-held original (an archived one stays as evidence) and writes the audit line. Refused (nothing
    /// sent) while the original is inside the topic's duplicate-detection window, unless <paramref name="waitForWindow"/>.</summary>
    public async Task<ResubmitOutcome> ResubmitAsync(DeadLetter deadLetter, string toSubscriber, bool waitForWindow, Action<string>? progress, CancellationToken cancellationToken)
    {
        if (!Subscribers.Contains(toSubscriber, StringComparer.Ordinal))
            throw new ArgumentException($"'{toSubscriber}' is not a subscriber of the topic '{Topic.Name}' ({string.Join(", ", Subscribers)}).");
        var notBefore = Latest(DuplicateWindowEnd(deadLetter), await LastResubmitWindowEndAsync(deadLetter.MessageId, cancellationToken).ConfigureAwait(false));
        if (notBefore is { } end && end > clock.GetUtcNow())
        {
            if (!waitForWindow) return new ResubmitOutcome(Topic.Name, toSubscriber, deadLetter.MessageId, false, end, false, null);
            progress?.Invoke($"waiting until {end:u} (the topic's duplicate-detection window) before resubmitting");
            await Task.Delay(end - clock.GetUtcNow(), clock, cancellationToken).ConfigureAwait(false);
        }

        var now = clock.GetUtcNow();
        var copy = CopyOf(deadLetter, toSubscriber, now);
        await using (var sender = client.CreateSender(Topic.Name))
            await sender.SendMessageAsync(copy, cancellationToken).ConfigureAwait(false);
        var removed = deadLetter.Location != DeadLetterLocation.Archive
                      && await RemoveAsync(deadLetter.Source, deadLetter.SequenceNumber, cancellationToken).ConfigureAwait(false);
        var audit = await AuditAsync("resubmit", now, new JObject
        {
            ["messageId"] = deadLetter.MessageId,
            ["correlationId"] = deadLetter.Message.Value<string>("correlationId"),
            ["to"] = toSubscriber,
            ["from"] = deadLetter.Source,
            ["location"] = deadLetter.Location.ToString(),
            ["sequenceNumber"] = deadLetter.SequenceNumber,
            ["reason"] = deadLetter.Reason,
            ["removedOriginal"] = removed,
        }, cancellationToken).ConfigureAwait(false);
        return new ResubmitOutcome(Topic.Name, toSubscriber, deadLetter.MessageId, true, null, removed, audit);
    }

    /// <summary>Deletes the broker-held dead letters (of one subscriber, or all), and with <paramref name="includeArchive"/>
    /// the archived ones; writes one audit line.</summary>
    public async Task<int> PurgeAsync(string? subscriber, bool includeArchive, CancellationToken cancellationToken)
    {
        var purged = 0;
        foreach (var (path, _) in BrokerPlaces().Where(p => subscriber is null || SubscriberOfPath(p.Path) == subscriber))
        {
            await using var receiver = Receiver(path, ServiceBusReceiveMode.ReceiveAndDelete);
            while (true)
            {
                var batch = await receiver.ReceiveMessagesAsync(Batch, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0) break;
                purged += batch.Count;
            }
        }
        if (includeArchive)
        {
            foreach (var archived in await ArchiveAsync(cancellationToken).ConfigureAwait(false))
            {
                if (subscriber is not null && archived.Subscriber != subscriber) continue;
                var stored = await lake.ReadAsync(lakeContainer, archived.Source, cancellationToken).ConfigureAwait(false);
                if (stored is not null && await lake.TryDeleteAsync(lakeContainer, archived.Source, stored.ETag, cancellationToken).ConfigureAwait(false)) purged++;
            }
        }
        await AuditAsync("purge", clock.GetUtcNow(), new JObject { ["subscriber"] = subscriber ?? "(all)", ["archive"] = includeArchive, ["count"] = purged }, cancellationToken).ConfigureAwait(false);
        return purged;
    }

    /// <summary>The end of the topic's duplicate-detection window for this message, counted from when it was
    /// enqueued (for a dead letter forwarded to its alert queue that is later than the publish: a safe bound).</summary>
    public DateTimeOffset? DuplicateWindowEnd(DeadLetter deadLetter) =>
        Topic.Properties.RequiresDuplicateDetection && deadLetter.EnqueuedUtc is { } enqueued
            ? enqueued + Topic.Properties.DuplicateDetectionHistoryTimeWindow
            : null;

    /// <summary>A copy resubmitted earlier is in the topic's duplicate history too: a second resubmit of the same
    /// messageId waits out the window of the last one, found from the audit lines of the window's days.</summary>
    private async Task<DateTimeOffset?> LastResubmitWindowEndAsync(string? messageId, CancellationToken cancellationToken)
    {
        if (messageId is null || !Topic.Properties.RequiresDuplicateDetection) return null;
        var window = Topic.Properties.DuplicateDetectionHistoryTimeWindow;
        var now = clock.GetUtcNow();
        var suffix = $"-resubmit-{ObjectNames.ToSafeSegment(messageId)}.json";
        DateTimeOffset? last = null;
        for (var day = (now - window).UtcDateTime.Date; day <= now.UtcDateTime.Date; day = day.AddDays(1))
        {
            await foreach (var name in lake.ListAsync(lakeContainer, AuditDay(day), cancellationToken).ConfigureAwait(false))
            {
                if (!name.EndsWith(suffix, StringComparison.Ordinal)) continue;
                var stamp = name[(name.LastIndexOf('/') + 1)..][..9];
                if (DateTime.TryParseExact(stamp, "HHmmssfff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                {
                    var at = new DateTimeOffset(day + time.TimeOfDay, TimeSpan.Zero);
                    if (last is null || at > last) last = at;
                }
            }
        }
        return last + window;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string AuditDay(DateTime utcDay) => string.Create(CultureInfo.InvariantCulture, $"{AuditRoot}/year={utcDay:yyyy}/month={utcDay:MM}/day={utcDay:dd}/");

    /// <summary>The dead letter for display: user properties whose names suggest a credential are masked.</summary>
    public static JObject ForDisplay(DeadLetter deadLetter)
    {
        var message = (JObject)deadLetter.Message.DeepClone();
        if (message["userProperties"] is JObject properties)
        {
            foreach (var property in properties.Properties().Where(p => LooksSecret(p.Name))) property.Value = "***";
        }
        return new JObject
        {
            ["location"] = deadLetter.Location.ToString(),
            ["source"] = deadLetter.Source,
            ["subscriber"] = deadLetter.Subscriber,
            ["sequenceNumber"] = deadLetter.SequenceNumber,
            ["messageId"] = deadLetter.MessageId,
            ["reason"] = deadLetter.Reason,
            ["description"] = deadLetter.Description,
            ["message"] = message,
        };
    }

    private static bool LooksSecret(string name) =>
        new[] { "password", "secret", "token", "key", "signature", "sig", "authorization", "credential", "connectionstring" }
            .Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    private ServiceBusMessage CopyOf(DeadLetter deadLetter, string toSubscriber, DateTimeOffset now)
    {
        var source = ConnectorMessages.ToBrokerMessage(deadLetter.Message);
        var copy = new ServiceBusMessage(deadLetter.RawBody is { } raw ? raw.ToArray() : source.Body)
        {
            MessageId = source.MessageId,
            ContentType = source.ContentType,
            CorrelationId = source.CorrelationId,
            SessionId = source.SessionId,
            Subject = source.Subject,
            To = source.To,
            ReplyTo = source.ReplyTo,
            ReplyToSessionId = source.ReplyToSessionId,
        };
        foreach (var (key, value) in source.ApplicationProperties)
        {
            // The reason belongs to the dead letter, not to the message; the routing and audit stamps are set anew.
            if (key is DeadLetterReasons.ReasonProperty or DeadLetterReasons.DescriptionProperty or ResubmitToProperty or ResubmittedByProperty or ResubmittedAtProperty) continue;
            copy.ApplicationProperties[key] = value;
        }
        copy.ApplicationProperties[ResubmitToProperty] = toSubscriber;
        copy.ApplicationProperties[ResubmittedByProperty] = operatorIdentity.Id;
        copy.ApplicationProperties[ResubmittedAtProperty] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return copy;
    }

    private async Task<string?> AuditAsync(string action, DateTimeOffset at, JObject details, CancellationToken cancellationToken)
    {
        details.AddFirst(new JProperty("byName", operatorIdentity.Name));
        details.AddFirst(new JProperty("by", operatorIdentity.Id));
        details.AddFirst(new JProperty("at", at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        details.AddFirst(new JProperty("action", action));
        var utc = at.UtcDateTime;
        var stem = details.Value<string>("messageId") is { } id ? ObjectNames.ToSafeSegment(id) : Guid.NewGuid().ToString("N")[..12];
        var name = AuditDay(utc.Date) + string.Create(CultureInfo.InvariantCulture, $"{utc:HHmmssfff}-{action}-{stem}.json");
        var created = await lake.TryCreateAsync(lakeContainer, name, Encoding.UTF8.GetBytes(details.ToString(Formatting.None)), "application/json", cancellationToken).ConfigureAwait(false);
        return created is not null ? name : null;
    }

    /// <summary>Where dead letters wait in the broker: each alert queue (active messages) and the dead-letter
    /// sub-queue of every subscription and queue.</summary>
    private IEnumerable<(string Path, DeadLetterLocation Location)> BrokerPlaces()
    {
        foreach (var queue in topology.Queues.OrderBy(q => q.Name, StringComparer.Ordinal))
        {
            if (queue.Name.StartsWith(AlertQueuePrefix, StringComparison.Ordinal)) yield return (queue.Name, DeadLetterLocation.AlertQueue);
            yield return (EntityPath.FormatDeadLetterPath(queue.Name), DeadLetterLocation.DeadLetterSubQueue);
        }
        foreach (var subscription in Topic.Subscriptions)
            yield return (EntityPath.FormatDeadLetterPath(EntityPath.FormatSubscriptionPath(Topic.Name, subscription.Name)), DeadLetterLocation.DeadLetterSubQueue);
    }

    private ServiceBusReceiver Receiver(string path, ServiceBusReceiveMode mode)
    {
        var (entity, deadLetter) = EntityPath.Split(path);
        var options = new ServiceBusReceiverOptions { ReceiveMode = mode, SubQueue = deadLetter ? SubQueue.DeadLetter : SubQueue.None };
        return EntityPath.SplitSubscription(entity) is var (topic, subscription)
            ? client.CreateReceiver(topic, subscription, options)
            : client.CreateReceiver(entity, options);
    }

    private async Task<List<DeadLetter>> PeekAllAsync(string path, DeadLetterLocation location, CancellationToken cancellationToken)
    {
        var result = new List<DeadLetter>();
        await using var receiver = Receiver(path, ServiceBusReceiveMode.PeekLock);
        long? from = null;
        while (true)
        {
            var batch = await receiver.PeekMessagesAsync(Batch, from, cancellationToken).ConfigureAwait(false);
            foreach (var m in batch)
            {
                result.Add(new DeadLetter(location, path, SubscriberOf(path, m), m.SequenceNumber, m.MessageId, m.DeadLetterReason,
                    m.DeadLetterErrorDescription, m.EnqueuedTime, ConnectorMessageOf(m), m.Body.ToMemory()));
            }
            // A peek returns at most the count asked for, and may return fewer with more to come (Learn, "Message
            // browsing"; the SDK's PeekMessagesAsync): only an empty page ends the place.
            if (batch.Count == 0) return result;
            from = batch[^1].SequenceNumber + 1;
        }
    }

    private async Task<List<DeadLetter>> ArchiveAsync(CancellationToken cancellationToken)
    {
        var result = new List<DeadLetter>();
        await foreach (var name in lake.ListAsync(lakeContainer, OrderLake.DeadLettersRoot + "/", cancellationToken).ConfigureAwait(false))
        {
            var stored = await lake.ReadAsync(lakeContainer, name, cancellationToken).ConfigureAwait(false);
            if (stored is null || Parse(stored.Content) is not JObject archive) continue;
            var message = archive["properties"] as JObject ?? new JObject();
            result.Add(new DeadLetter(DeadLetterLocation.Archive, name, archive.Value<string>("subscriber") ?? "?", archive.Value<long?>("sequenceNumber") ?? 0,
                archive.Value<string>("messageId"), archive.Value<string>("reason"), archive.Value<string>("description"),
                Instant(message.Value<string>("enqueuedTimeUtc")), message));
        }
        return result;
    }

    /// <summary>Takes one message out of a queue by sequence number: peek-lock until it comes, complete it, and abandon
    /// the others taken on the way (their delivery count goes up by one, as with any tool that does this).</summary>
    private async Task<bool> RemoveAsync(string path, long sequenceNumber, CancellationToken cancellationToken)
    {
        await using var receiver = Receiver(path, ServiceBusReceiveMode.PeekLock);
        var passedOver = new List<ServiceBusReceivedMessage>();
        try
        {
            while (true)
            {
                var batch = await receiver.ReceiveMessagesAsync(Batch, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0) return false;
                foreach (var m in batch)
                {
                    if (m.SequenceNumber == sequenceNumber)
                    {
                        await receiver.CompleteMessageAsync(m, cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    passedOver.Add(m);
                }
            }
        }
        finally
        {
            foreach (var m in passedOver)
            {
                // A lock that lapsed while the tool looked further (PT1M on some subscriptions) already gave the message
                // back: nothing to abandon, and the resubmit's audit line must still be written.
                try
                {
                    await receiver.AbandonMessageAsync(m, null, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Azure.Messaging.ServiceBus.ServiceBusException ex) when (ex.Reason == Azure.Messaging.ServiceBus.ServiceBusFailureReason.MessageLockLost)
                {
                }
            }
        }
    }

    private string SubscriberOf(string path, ServiceBusReceivedMessage m) =>
        m.DeadLetterSource is { } source && SubscriberOfPath(path) is null ? LastSegment(source) : SubscriberOfPath(path) ?? LastSegment(path);

    /// <summary>The subscriber a broker place belongs to: an alert queue's name or a subscription's path.</summary>
    private static string? SubscriberOfPath(string path)
    {
        var entity = EntityPath.Split(path).EntityPath;
        if (entity.StartsWith(AlertQueuePrefix, StringComparison.Ordinal)) return entity[AlertQueuePrefix.Length..];
        return EntityPath.SplitSubscription(entity)?.Subscription;
    }

    private static string LastSegment(string path)
    {
        var entity = EntityPath.Split(path).EntityPath;
        var at = entity.LastIndexOf('/');
        return at >= 0 ? entity[(at + 1)..] : entity;
    }

    /// <summary>An SDK message as the built-in connector's message object (the shape the archive keeps too).</summary>
    private static JObject ConnectorMessageOf(ServiceBusReceivedMessage m) => new()
    {
        ["contentData"] = ConnectorMessages.ContentData(m.Body.ToMemory(), m.ContentType),
        ["contentType"] = m.ContentType,
        ["sessionId"] = m.SessionId,
        ["userProperties"] = new JObject(m.ApplicationProperties.Select(p => new JProperty(p.Key, PropertyToken(p.Value)))),
        ["messageId"] = m.MessageId,
        ["to"] = m.To,
        ["replyTo"] = m.ReplyTo,
        ["replyToSession"] = m.ReplyToSessionId,
        ["label"] = m.Subject,
        ["correlationId"] = m.CorrelationId,
        ["deadletterSource"] = m.DeadLetterSource,
        ["deliveryCount"] = m.DeliveryCount,
        ["enqueuedSequenceNumber"] = m.EnqueuedSequenceNumber,
        ["enqueuedTimeUtc"] = m.EnqueuedTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["sequenceNumber"] = m.SequenceNumber,
    };

    private static JToken PropertyToken(object? value) => value switch
    {
        null => JValue.CreateNull(),
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Uri u => u.ToString(),
        Guid g => g.ToString(),
        _ => JToken.FromObject(value),
    };

    private static JToken? Parse(ReadOnlyMemory<byte> content)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(content.Span))) { DateParseHandling = DateParseHandling.None };
            return JToken.ReadFrom(reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Instant(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
