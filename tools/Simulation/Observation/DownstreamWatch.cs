using System.Text;
using System.Text.RegularExpressions;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.StandIns.Teams;
using LocalLogicApp.StandIns.Twilio;
using LocalLogicApp.StandIns.Warehouse;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Storage;
using Simulation.Checking;
using Simulation.Generation;

namespace Simulation.Observation;

/// <summary>
/// Turns what the downstream stand-ins record into ledger entries, as they happen: a sales order change SAP committed, an
/// SMS Twilio sent, a reservation change the warehouse applied, a Teams card posted. Each is tied to its event through the
/// ids the day generated (order id, message id); what can't be tied is an anomaly. At the end, the lake is read for its
/// files (one per event) and its dead-letter archive (what was dead-lettered, with the reason).
/// </summary>
public sealed partial class DownstreamWatch(OrderDay day, DayLedger ledger)
{
    public void Watch(FakeSapSystem sap) => sap.Committed += commit =>
    {
        if (!EventIds.TryParseOrderId(day.Seed, commit.PurchaseOrderNumber, out var order))
        {
            ledger.Anomaly($"SAP committed sales order {commit.SalesDocument} for '{commit.PurchaseOrderNumber}', which is no order of the day");
            return;
        }
        var kind = commit.Kind switch
        {
            SapCommitKind.Created => EventKind.Created,
            SapCommitKind.Cancelled => EventKind.Cancelled,
            _ => EventKind.Updated,
        };
        ledger.Effect(Subscriber.Sap, new EventRef(order, kind));
    };

    public void Watch(TwilioStandIn twilio) => twilio.Sent += message =>
    {
        if (SmsEvent(message.Body) is { } e) ledger.Effect(Subscriber.Sms, e);
        else ledger.Anomaly($"Twilio sent an SMS that names no event of the day: \"{message.Body}\"");
    };

    public void Watch(WarehouseStandIn warehouse) => warehouse.Changed += reservation =>
    {
        if (!EventIds.TryParseOrderId(day.Seed, reservation.OrderId, out var order))
        {
            ledger.Anomaly($"The warehouse changed a reservation of '{reservation.OrderId}', which is no order of the day");
            return;
        }
        var kind = reservation.Change switch
        {
            "create" => EventKind.Created,
            "release" => EventKind.Cancelled,
            _ => EventKind.Updated,
        };
        ledger.Effect(Subscriber.Warehouse, new EventRef(order, kind));
    };

    public void Watch(TeamsStandIn teams) => teams.Posted += card =>
    {
        var messageId = card.Fact("Message id");
        var subscriberText = card.Fact("Subscriber");
        if (EventIds.TryParseMessageId(day.Seed, messageId, out var e) && Subscribers.TryParse(subscriberText, out var subscriber))
        {
            ledger.Alerted(subscriber, e);
        }
        else
        {
            ledger.Anomaly($"A Teams alert names no event of the day (subscriber '{subscriberText}', message id '{messageId}')");
        }
    };

    /// <summary>The event an SMS is about: its order id and the kind its text says (the default templates of SmsTemplates).</summary>
    public EventRef? SmsEvent(string text)
    {
        var match = SmsOrder().Match(text);
        if (!match.Success || !EventIds.TryParseOrderId(day.Seed, match.Groups["order"].Value, out var order)) return null;
        EventKind? kind = text.Contains("thank you for your order", StringComparison.Ordinal) ? EventKind.Created
            : text.Contains("was updated", StringComparison.Ordinal) ? EventKind.Updated
            : text.Contains("was cancelled", StringComparison.Ordinal) ? EventKind.Cancelled
            : null;
        return kind is null ? null : new EventRef(order, kind.Value);
    }

    /// <summary>Reads the lake: every order file (<c>orders/.../{messageId}.json</c>) is a side effect of the lake archive;
    /// every archived dead letter (<c>deadletters/{subscriber}/.../{messageId}.json</c>) a dead letter, with its reason.</summary>
    public async Task ReadLakeAsync(IObjectStore store, string container, CancellationToken cancellationToken)
    {
        await foreach (var name in store.ListAsync(container, "orders/", cancellationToken).ConfigureAwait(false))
        {
            if (EventIds.TryParseMessageId(day.Seed, Path.GetFileNameWithoutExtension(name), out var e)) ledger.Effect(Subscriber.Lake, e);
            else ledger.Anomaly($"The lake holds {container}/{name}, which is no event of the day");
        }
        await foreach (var name in store.ListAsync(container, "deadletters/", cancellationToken).ConfigureAwait(false))
        {
            var segments = name.Split('/');
            // The archive names a dead letter by its message id; a second dead letter of the same message (the event was
            // published again) gets its sequence number appended: {messageId}.seq-{n}.json.
            var file = Path.GetFileNameWithoutExtension(name);
            var messageId = file.Contains(".seq-", StringComparison.Ordinal) ? file[..file.IndexOf(".seq-", StringComparison.Ordinal)] : file;
            if (segments.Length < 3 || !Subscribers.TryParse(segments[1], out var subscriber)
                || !EventIds.TryParseMessageId(day.Seed, messageId, out var e))
            {
                ledger.Anomaly($"The dead-letter archive holds {container}/{name}, which names no subscriber and event of the day");
                continue;
            }
            string? reason = null;
            if (await store.ReadAsync(container, name, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                try
                {
                    var json = JObject.Parse(Encoding.UTF8.GetString(stored.Content.Span));
                    reason = json.SelectTokens("$..DeadLetterReason").FirstOrDefault()?.ToString();
                }
                catch (Newtonsoft.Json.JsonException)
                {
                    reason = "(archive unreadable)";
                }
            }
            ledger.DeadLettered(subscriber, e, reason);
        }
    }

    /// <summary>
    /// Reads the SMS subscriber's idempotency records: one completed for an event means the subscriber finished it (its
    /// settlement decision was complete), the only trace an SMS event without a phone number leaves. With
    /// <c>--crash-process</c> the run that did it may be gone from what the checker heard: a host killed after the run
    /// completed the message and before it reported the run on stdout (the run store had not written it yet either).
    /// A message still on the broker is reported as left there, so this never hides one that was not settled.
    /// </summary>
    public async Task ReadSmsClaimsAsync(IObjectStore store, string container, CancellationToken cancellationToken)
    {
        var prefix = Subscriber.Sms.Id() + "/";
        await foreach (var name in store.ListAsync(container, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (await store.ReadAsync(container, name, cancellationToken).ConfigureAwait(false) is not { } stored) continue;
            JObject record;
            try
            {
                record = JObject.Parse(Encoding.UTF8.GetString(stored.Content.Span));
            }
            catch (Newtonsoft.Json.JsonException)
            {
                ledger.Anomaly($"The idempotency record {container}/{name} is not JSON");
                continue;
            }
            if (record.Value<string>("state") == "Completed" && EventIds.TryParseMessageId(day.Seed, record.Value<string>("key"), out var e))
            {
                ledger.Completed(Subscriber.Sms, e);
            }
        }
    }

    [GeneratedRegex(@"order (?<order>S\d+-\d{7})")]
    private static partial Regex SmsOrder();
}
