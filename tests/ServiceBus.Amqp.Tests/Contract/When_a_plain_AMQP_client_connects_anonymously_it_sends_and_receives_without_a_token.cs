using System.Text;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using ServiceBus.Amqp.Connection;
using ServiceBus.Local.Entities;
using LocalServiceBus = ServiceBus.Local.LocalServiceBus;

namespace ServiceBus.Amqp.Tests.Contract;

/// <summary>Not only the Service Bus SDKs: any AMQP 1.0 client (here Microsoft.Azure.Amqp's own client side) can
/// connect with SASL ANONYMOUS, attach to an entity address, send, and receive with peek-lock and settle (OASIS AMQP 1.0
/// parts 2 and 3). Local only: Azure requires a token on $cbs.</summary>
[TestClass]
public sealed class When_a_plain_AMQP_client_connects_anonymously_it_sends_and_receives_without_a_token
{
    [TestMethod]
    public async Task A_message_sent_on_one_link_is_received_on_another_and_accepting_it_completes_it()
    {
        var topology = new Topology();
        topology.AddQueue("plain");
        using var bus = LocalServiceBus.Create(topology);
        await using var server = ServiceBusAmqpServer.Start(bus, port: 0);
        var connection = await new AmqpConnectionFactory().OpenConnectionAsync(new Uri($"amqp://localhost:{server.Port}"), new SaslAnonymousHandler(), TimeSpan.FromSeconds(10));
        try
        {
            var session = connection.CreateSession(new AmqpSessionSettings());
            await session.OpenAsync(TimeSpan.FromSeconds(10));
            var sender = new SendingAmqpLink(new AmqpLinkSettings
            {
                LinkName = "sender", Role = false, Source = new Source(), Target = new Target { Address = "plain" }, SettleType = SettleMode.SettleOnReceive,
            });
            sender.AttachTo(session);
            await sender.OpenAsync(TimeSpan.FromSeconds(10));
            var message = AmqpMessage.Create(new Data { Value = new ArraySegment<byte>(Encoding.UTF8.GetBytes("plain hello")) });
            message.Properties.MessageId = "plain-1";

            var outcome = await sender.SendMessageAsync(message, new ArraySegment<byte>(Guid.NewGuid().ToByteArray()), AmqpConstants.NullBinary, TimeSpan.FromSeconds(10));
            Assert.IsInstanceOfType<Accepted>(outcome);

            var receiver = new ReceivingAmqpLink(new AmqpLinkSettings
            {
                LinkName = "receiver", Role = true, Source = new Source { Address = "plain" }, Target = new Target(),
                SettleType = SettleMode.SettleOnDispose, TotalLinkCredit = 10, AutoSendFlow = true,
            });
            receiver.AttachTo(session);
            await receiver.OpenAsync(TimeSpan.FromSeconds(10));
            var received = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
            Assert.IsNotNull(received);
            Assert.AreEqual("plain-1", received.Properties.MessageId.ToString());
            Assert.AreEqual(1L, received.MessageAnnotations.Map["x-opt-sequence-number"]);
            var settled = await receiver.DisposeMessageAsync(received.DeliveryTag, AmqpConstants.AcceptedOutcome, batchable: false, TimeSpan.FromSeconds(10));

            Assert.IsInstanceOfType<Accepted>(settled);
            Assert.IsEmpty(await bus.PeekAsync("plain", 10), "accepting completed the message");
        }
        finally
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(5));
        }
    }
}
