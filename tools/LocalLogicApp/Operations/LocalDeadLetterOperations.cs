using System.Globalization;
using System.Text;
using LocalLogicApp.Bindings.ServiceBus;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Storage;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace LocalLogicApp.Operations;

/// <summary>
/// Dead letters of the local app: every dead-letter sub-queue and per-subscriber alert queue of the broker (read
/// with peek, which locks nothing and changes no delivery count) and the archive the alert workflows write in the
/// lake container (<c>deadletters/&lt;subscriber&gt;/...</c>).
/// </summary>
public sealed class LocalDeadLetterOperations(LocalServiceBus bus, IObjectStore store, string lakeContainer, TimeProvider clock) : IDeadLetterOperations
{
    public const string AlertQueuePrefix = "deadletters-";
    public const string ArchiveRoot = "deadletters/";
    private const int PeekBatch = 250;

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<DeadLetter>();
        foreach (var path in bus.ReceivableEntityPaths.Order(StringComparer.OrdinalIgnoreCase))
        {
            var alertQueue = path.StartsWith(AlertQueuePrefix, StringComparison.OrdinalIgnoreCase);
            if (alertQueue) found.AddRange(await PeekAllAsync(path, DeadLetterLocation.AlertQueue, cancellationToken).ConfigureAwait(false));
            found.AddRange(await PeekAllAsync(EntityPath.FormatDeadLetterPath(path), DeadLetterLocation.DeadLetterSubQueue, cancellationToken).ConfigureAwait(false));
        }
        await foreach (var name in store.ListAsync(lakeContainer, ArchiveRoot, cancellationToken).ConfigureAwait(false))
        {
            var stored = await store.ReadAsync(lakeContainer, name, cancellationToken).ConfigureAwait(false);
            if (stored is null || Parse(stored.Content) is not JObject archive) continue;
            var message = archive["properties"] as JObject ?? new JObject();
            found.Add(new DeadLetter(
                DeadLetterLocation.Archive,
                name,
                archive.Value<string>("subscriber") ?? "?",
                archive.Value<long?>("sequenceNumber") ?? 0,
                archive.Value<string>("messageId"),
                archive.Value<string>("reason"),
                archive.Value<string>("description"),
                Instant(message.Value<string>("enqueuedTimeUtc")),
                message));
        }
        return found;
    }

    public async Task<ResubmitOutcome> ResubmitAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        var topic = bus.Topology.Topics.FirstOrDefault()
                    ?? throw new InvalidOperationException("The topology has no topic to resubmit to.");
        var copy = (JObject)deadLetter.Message.DeepClone();
        if (copy["userProperties"] is JObject properties)
        {
            // The copy is a new delivery: the reason belongs to the dead letter, not to the message.
            properties.Remove(DeadLetterReasons.ReasonProperty);
            properties.Remove(DeadLetterReasons.DescriptionProperty);
        }
        var message = ConnectorMessages.ToBrokerMessage(copy);
        var window = topic.Properties.RequiresDuplicateDetection ? topic.Properties.DuplicateDetectionHistoryTimeWindow : TimeSpan.Zero;
        var withinWindow = window > TimeSpan.Zero && deadLetter.EnqueuedUtc is { } enqueued && clock.GetUtcNow() - enqueued < window;
        await bus.SendAsync(topic.Name, message, cancellationToken).ConfigureAwait(false);
        var removed = deadLetter.Location != DeadLetterLocation.Archive && await RemoveAsync(deadLetter.Source, deadLetter.SequenceNumber, cancellationToken).ConfigureAwait(false);
        return new ResubmitOutcome(topic.Name, message.MessageId, withinWindow, window, removed);
    }

    public async Task<int> PurgeAsync(bool includeArchive, CancellationToken cancellationToken)
    {
        var purged = 0;
        foreach (var deadLetter in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (deadLetter.Location == DeadLetterLocation.Archive)
            {
                if (!includeArchive) continue;
                var stored = await store.ReadAsync(lakeContainer, deadLetter.Source, cancellationToken).ConfigureAwait(false);
                if (stored is not null && await store.TryDeleteAsync(lakeContainer, deadLetter.Source, stored.ETag, cancellationToken).ConfigureAwait(false)) purged++;
                continue;
            }
            if (await RemoveAsync(deadLetter.Source, deadLetter.SequenceNumber, cancellationToken).ConfigureAwait(false)) purged++;
        }
        return purged;
    }

    private async Task<List<DeadLetter>> PeekAllAsync(string path, DeadLetterLocation location, CancellationToken cancellationToken)
    {
        var result = new List<DeadLetter>();
        long? from = null;
        while (true)
        {
            var batch = await bus.PeekAsync(path, PeekBatch, from, cancellationToken).ConfigureAwait(false);
            foreach (var m in batch)
            {
                var message = ConnectorMessages.ToConnectorMessage(m);
                result.Add(new DeadLetter(location, path, SubscriberOf(path, m), m.SequenceNumber, m.MessageId, m.DeadLetterReason, m.DeadLetterErrorDescription, m.EnqueuedTime, message));
            }
            if (batch.Count < PeekBatch) return result;
            from = batch[^1].SequenceNumber + 1;
        }
    }

    /// <summary>Takes one message out of a queue by sequence number: peek-lock until it comes, complete it, and
    /// abandon the others taken on the way (their delivery count goes up by one, as with any tool that does this).</summary>
    private async Task<bool> RemoveAsync(string path, long sequenceNumber, CancellationToken cancellationToken)
    {
        await using var receiver = bus.CreateReceiver(path);
        var passedOver = new List<string>();
        try
        {
            while (true)
            {
                var batch = await receiver.ReceiveAsync(PeekBatch, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0) return false;
                foreach (var m in batch)
                {
                    if (m.SequenceNumber == sequenceNumber)
                    {
                        await receiver.CompleteAsync(m.LockToken, cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    passedOver.Add(m.LockToken);
                }
            }
        }
        finally
        {
            foreach (var token in passedOver) await receiver.AbandonAsync(token, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The subscriber a dead letter belongs to: from an alert queue's name, a subscription's path, or the
    /// message's dead-letter source.</summary>
    private static string SubscriberOf(string path, ServiceBusReceivedMessage m)
    {
        var entity = EntityPath.Split(path).EntityPath;
        if (entity.StartsWith(AlertQueuePrefix, StringComparison.OrdinalIgnoreCase)) return entity[AlertQueuePrefix.Length..];
        var source = m.DeadLetterSource ?? entity;
        var at = source.LastIndexOf('/');
        return at >= 0 ? source[(at + 1)..] : source;
    }

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
