using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using ServiceBus.Amqp.Errors;
using ServiceBus.Amqp.Messages;
using ServiceBus.Local;

namespace ServiceBus.Amqp.Links;

/// <summary>
/// A client's sender attached to a queue or topic: every transfer (one message, or a batch of them) is sent to the
/// broker and settled with <c>accepted</c>, or <c>rejected</c> with the Service Bus error condition
/// (OASIS AMQP 1.0 part 3.4 "Delivery State"). The attach reply carries the entity's max-message-size, which the
/// client checks before sending (protocol guide, "Links").
/// </summary>
internal static class SenderLink
{
    public static void Attach(ReceivingAmqpLink link, LocalServiceBus bus, string entityPath)
    {
        var name = entityPath.Trim('/');
        var queue = bus.Topology.Queues.FirstOrDefault(q => string.Equals(q.Name, name, StringComparison.OrdinalIgnoreCase));
        var topic = bus.Topology.Topics.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        if (queue is null && topic is null) throw ServiceBusErrors.NotFound(entityPath);
        var kilobytes = queue?.Properties.MaxMessageSizeInKilobytes ?? topic!.Properties.MaxMessageSizeInKilobytes;
        link.Settings.MaxMessageSize = (ulong)kilobytes * 1024;

        link.RegisterMessageListener(message =>
        {
            try
            {
                if (message.TxnId.Array is not null)
                    throw ServiceBusErrors.NotImplemented("Transactions are not supported by the local broker.");
                var messages = AmqpMessageCodec.Decode(message);
                bus.SendAsync(name, messages).GetAwaiter().GetResult();
                link.AcceptMessage(message, false);
            }
            catch (Exception ex)
            {
                link.DisposeMessage(message, new Rejected { Error = ServiceBusErrors.From(ex) }, true, false);
            }
            finally
            {
                message.Dispose();
            }
        });
    }
}
