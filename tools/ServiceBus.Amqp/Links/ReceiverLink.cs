using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using ServiceBus.Amqp.Errors;
using ServiceBus.Amqp.Messages;
using ServiceBus.Local;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Amqp.Links;

/// <summary>
/// A client's receiver attached to a queue, subscription or dead-letter sub-queue. Messages flow only against the
/// client's link credit (OASIS AMQP 1.0 part 2.6.7 "Flow Control"; prefetch is credit granted ahead): each is taken
/// from the broker under a peek-lock whose token is the delivery tag, or settled on send in receive-and-delete mode.
/// The client settles by disposition (protocol guide, "Settlement"): accepted = complete; modified = abandon, or defer
/// when undeliverable-here; rejected with <c>com.microsoft:dead-letter</c> = dead-letter (reason and description in
/// the error info); released = handed back unseen, not counted as a delivery. A drain request is answered at once
/// with what is available.
/// </summary>
internal sealed class ReceiverLink
{
    private const int MaxBatch = 64;
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(30);

    private readonly SendingAmqpLink link;
    private readonly ServiceBusReceiver receiver;
    private readonly bool receiveAndDelete;
    private readonly object gate = new();
    private readonly SemaphoreSlim creditArrived = new(0);
    private readonly CancellationTokenSource closed = new();
    private CancellationTokenSource? waiting;

    private ReceiverLink(SendingAmqpLink link, ServiceBusReceiver receiver)
    {
        this.link = link;
        this.receiver = receiver;
        receiveAndDelete = receiver.ReceiveMode == ReceiveMode.ReceiveAndDelete;
    }

    public static void Attach(SendingAmqpLink link, ServiceBusReceiver receiver, Action? onClosed = null)
    {
        var pump = new ReceiverLink(link, receiver);
        link.RegisterCreditListener(pump.OnCredit);
        link.RegisterDispositionListener(pump.OnDisposition);
        link.Closed += (_, _) =>
        {
            pump.closed.Cancel();
            onClosed?.Invoke();
            _ = receiver.DisposeAsync().AsTask();
        };
        _ = Task.Run(pump.PumpAsync);
    }

    private void OnCredit(uint credit, bool drain, ArraySegment<byte> txnId)
    {
        if (!drain)
        {
            creditArrived.Release();
            return;
        }
        // Drain: send what is available now; the library then uses up the rest of the credit (part 2.6.7).
        lock (gate)
        {
            waiting?.Cancel();
            var available = (int)Math.Min(link.LinkCredit, MaxBatch);
            if (available <= 0) return;
            try
            {
                var messages = receiver.ReceiveAsync(available, TimeSpan.Zero).GetAwaiter().GetResult();
                Deliver(messages);
            }
            catch (Exception ex) when (ex is ServiceBusException or ObjectDisposedException)
            {
                Fail(ex);
            }
        }
    }

    private async Task PumpAsync()
    {
        while (!closed.IsCancellationRequested)
        {
            try
            {
                if (link.LinkCredit == 0)
                {
                    await creditArrived.WaitAsync(closed.Token).ConfigureAwait(false);
                    continue;
                }
                var want = (int)Math.Min(link.LinkCredit, MaxBatch);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(closed.Token);
                lock (gate) waiting = wait;
                IReadOnlyList<ServiceBusReceivedMessage> messages;
                try
                {
                    messages = await receiver.ReceiveAsync(want, LongPoll, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    continue; // a drain or the link closing interrupted the wait; nothing was taken
                }
                finally
                {
                    lock (gate) waiting = null;
                }
                lock (gate) Deliver(messages);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                Fail(ex);
                return;
            }
        }
    }

    /// <summary>Sends what the credit allows; a message taken beyond it (credit withdrawn meanwhile) goes back uncounted.</summary>
    private void Deliver(IReadOnlyList<ServiceBusReceivedMessage> messages)
    {
        foreach (var m in messages)
        {
            if (closed.IsCancellationRequested || link.LinkCredit == 0)
            {
                if (!receiveAndDelete) _ = receiver.ReleaseAsync(m.LockToken);
                continue;
            }
            var tag = receiveAndDelete ? Guid.NewGuid() : Guid.Parse(m.LockToken);
            var amqp = AmqpMessageCodec.ToAmqpMessage(m, locked: !receiveAndDelete);
            link.SendMessageNoWait(amqp, new ArraySegment<byte>(tag.ToByteArray()), AmqpConstants.NullBinary);
        }
    }

    private void OnDisposition(Delivery delivery)
    {
        var token = new Guid(delivery.DeliveryTag.AsSpan()).ToString();
        DeliveryState answer;
        try
        {
            answer = Settle(token, delivery.State);
        }
        catch (Exception ex)
        {
            answer = new Rejected { Error = ServiceBusErrors.From(ex) };
        }
        if (!delivery.Settled) link.DisposeDelivery(delivery, true, answer);
    }

    private DeliveryState Settle(string token, DeliveryState state)
    {
        switch (state)
        {
            case Accepted:
                receiver.CompleteAsync(token).GetAwaiter().GetResult();
                return AmqpConstants.AcceptedOutcome;
            case Modified modified when modified.UndeliverableHere == true:
                receiver.DeferAsync(token, AmqpMessageCodec.PropertiesOf(modified.MessageAnnotations)).GetAwaiter().GetResult();
                return state;
            case Modified modified:
                receiver.AbandonAsync(token, AmqpMessageCodec.PropertiesOf(modified.MessageAnnotations)).GetAwaiter().GetResult();
                return state;
            case Rejected rejected:
                var (reason, description, properties) = DeadLetterOf(rejected.Error);
                receiver.DeadLetterAsync(token, reason, description, properties).GetAwaiter().GetResult();
                // A rejected answer carrying an error makes the client throw: success is acknowledged as accepted.
                return AmqpConstants.AcceptedOutcome;
            case Released:
                receiver.ReleaseAsync(token).GetAwaiter().GetResult();
                return state;
            default:
                throw ServiceBusErrors.NotImplemented($"The delivery state '{state?.GetType().Name ?? "none"}' is not supported (transactions are not served locally).");
        }
    }

    /// <summary>Reason and description travel as <c>DeadLetterReason</c> / <c>DeadLetterErrorDescription</c> in the
    /// rejected error's info; the other info entries are properties to modify.</summary>
    internal static (string? Reason, string? Description, Dictionary<string, object?>? Properties) DeadLetterOf(Error? error)
    {
        if (error?.Info is not { } info) return (null, null, null);
        string? reason = null, description = null;
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in info)
        {
            var name = key.ToString();
            if (name == DeadLetterReasons.ReasonProperty) reason = value as string;
            else if (name == DeadLetterReasons.DescriptionProperty) description = value as string;
            else properties[name] = AmqpMessageCodec.FromAmqpValue(name, value);
        }
        return (reason, description, properties.Count > 0 ? properties : null);
    }

    private void Fail(Exception ex)
    {
        closed.Cancel();
        link.SafeClose(ServiceBusErrors.Exception(ex));
    }
}
