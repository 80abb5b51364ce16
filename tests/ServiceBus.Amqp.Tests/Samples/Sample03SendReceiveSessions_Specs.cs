using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Samples;

/// <summary>The Azure SDK's Sample03 "Sessions" scenarios (accept the next session, a named session, session state),
/// written afresh and run against the local broker.</summary>
[TestClass]
public sealed class Sample03SendReceiveSessions_Specs : ContractSpec
{
    protected override bool AgainstAzure => false;

    [TestMethod]
    public async Task Receive_from_the_next_available_session()
    {
        await using var sender = Client.CreateSender(SessionQueue);
        await sender.SendMessageAsync(new ServiceBusMessage("Hello world!") { SessionId = "mySessionId" });

        await using var receiver = await Client.AcceptNextSessionAsync(SessionQueue);
        var received = await ReceiveOneAsync(receiver);

        Assert.AreEqual("mySessionId", receiver.SessionId);
        Assert.AreEqual("mySessionId", received.SessionId);
    }

    [TestMethod]
    public async Task Receive_from_a_specific_session()
    {
        await using var sender = Client.CreateSender(SessionQueue);
        await sender.SendMessagesAsync([
            new ServiceBusMessage("First") { SessionId = "Session1" },
            new ServiceBusMessage("Second") { SessionId = "Session2" },
        ]);

        await using var receiver = await Client.AcceptSessionAsync(SessionQueue, "Session2");
        var received = await ReceiveOneAsync(receiver);

        Assert.AreEqual("Second", received.Body.ToString());
    }

    [TestMethod]
    public async Task Set_and_get_the_session_state()
    {
        await using var sender = Client.CreateSender(SessionQueue);
        await sender.SendMessageAsync(new ServiceBusMessage("Hello world!") { SessionId = "mySessionId" });
        await using var receiver = await Client.AcceptNextSessionAsync(SessionQueue);

        await receiver.SetSessionStateAsync(new BinaryData("Some state specific to this session when processing a message."));

        Assert.AreEqual("Some state specific to this session when processing a message.", (await receiver.GetSessionStateAsync()).ToString());
    }
}
