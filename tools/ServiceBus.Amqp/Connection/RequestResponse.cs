using System.Collections.Concurrent;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace ServiceBus.Amqp.Connection;

/// <summary>
/// The request/response pattern of $cbs and $management: a client attaches a sender to the node and a receiver from
/// it whose target is its reply address; each request names that address in <c>reply-to</c>, and the reply carries
/// the request's message-id as correlation-id ("AMQP request-response operations in Service Bus",
/// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-request-response).
/// </summary>
internal sealed class RequestResponse
{
    private readonly ConcurrentDictionary<string, SendingAmqpLink> replyLinks = new(StringComparer.Ordinal);

    /// <summary>Remembers a link the node answers on, under its target (reply) address.</summary>
    public void AttachReplyLink(SendingAmqpLink link)
    {
        var address = (link.Settings.Target as Target)?.Address?.ToString();
        if (address is null) throw new AmqpException(AmqpErrorCode.InvalidField, "A reply link needs a target address.");
        replyLinks[address] = link;
        link.RegisterCreditListener((_, _, _) => { });
        link.RegisterDispositionListener(_ => { });
        link.Closed += (_, _) => replyLinks.TryRemove(new KeyValuePair<string, SendingAmqpLink>(address, link));
    }

    /// <summary>Serves requests arriving on <paramref name="link"/>, one at a time per link, in order.</summary>
    public void AttachRequestLink(ReceivingAmqpLink link, Func<AmqpMessage, Task<AmqpMessage>> handle)
    {
        var queue = Task.CompletedTask;
        var gate = new object();
        link.RegisterMessageListener(request =>
        {
            lock (gate) queue = queue.ContinueWith(_ => ServeAsync(link, request, handle), TaskScheduler.Default).Unwrap();
        });
    }

    private async Task ServeAsync(ReceivingAmqpLink link, AmqpMessage request, Func<AmqpMessage, Task<AmqpMessage>> handle)
    {
        try
        {
            var reply = await handle(request).ConfigureAwait(false);
            reply.Properties.CorrelationId = request.Properties.MessageId;
            link.AcceptMessage(request, false);
            var replyTo = request.Properties.ReplyTo?.ToString();
            if (replyTo is not null && replyLinks.TryGetValue(replyTo, out var replyLink))
                replyLink.SendMessageNoWait(reply, new ArraySegment<byte>(Guid.NewGuid().ToByteArray()), AmqpConstants.NullBinary);
        }
        catch (Exception ex)
        {
            link.RejectMessage(request, ex);
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>A reply: status in the application properties under the node's own names, body an AMQP map.</summary>
    public static AmqpMessage Reply(string statusCodeName, string statusDescriptionName, int statusCode, string description, AmqpMap? body = null, AmqpSymbol? errorCondition = null)
    {
        var reply = body is null ? AmqpMessage.Create() : AmqpMessage.Create(new AmqpValue { Value = body });
        reply.ApplicationProperties = new ApplicationProperties();
        reply.ApplicationProperties.Map[statusCodeName] = statusCode;
        reply.ApplicationProperties.Map[statusDescriptionName] = description;
        if (errorCondition is { } condition) reply.ApplicationProperties.Map["errorCondition"] = condition;
        return reply;
    }
}
