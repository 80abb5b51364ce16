using System.Text;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using ServiceBus.Amqp.Messages;

namespace ServiceBus.Amqp.Tests.Messages;

[TestClass]
public sealed class AmqpMessageCodec_Specs
{
    [TestMethod]
    public void A_batch_transfer_is_split_into_its_messages()
    {
        using var first = AmqpMessage.Create(new Data { Value = new ArraySegment<byte>(Encoding.UTF8.GetBytes("one")) });
        first.Properties.MessageId = "m-1";
        using var second = AmqpMessage.Create(new Data { Value = new ArraySegment<byte>(Encoding.UTF8.GetBytes("two")) });
        second.Properties.GroupId = "s-2";
        using var batch = AmqpMessage.Create(new[] { first, second }.Select(m => new Data { Value = new ArraySegment<byte>(AmqpMessageCodec.Encode(m)) }));
        batch.MessageFormat = AmqpMessageCodec.BatchMessageFormat;

        var messages = AmqpMessageCodec.Decode(batch);

        Assert.HasCount(2, messages);
        Assert.AreEqual("one", messages[0].BodyAsString());
        Assert.AreEqual("m-1", messages[0].MessageId);
        Assert.AreEqual("s-2", messages[1].SessionId);
    }

    [TestMethod]
    public void Typed_application_properties_keep_their_dotnet_types()
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
        using var amqp = AmqpMessage.Create(new Data { Value = new ArraySegment<byte>([]) });
        amqp.ApplicationProperties = new ApplicationProperties();
        amqp.ApplicationProperties.Map["at"] = AmqpMessageCodec.ToAmqpValue(at);
        amqp.ApplicationProperties.Map["wait"] = AmqpMessageCodec.ToAmqpValue(TimeSpan.FromMinutes(5));
        amqp.ApplicationProperties.Map["count"] = 3;

        var message = AmqpMessageCodec.ToBrokerMessage(amqp);

        Assert.AreEqual(at, message.ApplicationProperties["at"]);
        Assert.AreEqual(TimeSpan.FromMinutes(5), message.ApplicationProperties["wait"]);
        Assert.AreEqual(3, message.ApplicationProperties["count"]);
    }

    [TestMethod]
    public void A_binary_application_property_is_refused_with_an_argument_error_naming_it()
    {
        using var amqp = AmqpMessage.Create(new Data { Value = new ArraySegment<byte>([]) });
        amqp.ApplicationProperties = new ApplicationProperties();
        amqp.ApplicationProperties.Map["blob"] = new ArraySegment<byte>([1, 2, 3]);

        var error = Assert.ThrowsExactly<AmqpException>(() => AmqpMessageCodec.ToBrokerMessage(amqp));

        Assert.AreEqual("com.microsoft:argument-error", error.Error.Condition.Value);
        StringAssert.Contains(error.Error.Description, "'blob'");
    }

    [TestMethod]
    public void Time_to_live_travels_as_the_header_ttl_in_milliseconds()
    {
        using var amqp = AmqpMessage.Create(new Data { Value = new ArraySegment<byte>([]) });
        amqp.Header.Ttl = 90_000;

        Assert.AreEqual(TimeSpan.FromSeconds(90), AmqpMessageCodec.ToBrokerMessage(amqp).TimeToLive);
    }
}
