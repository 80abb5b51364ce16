using ServiceBus.Amqp.Connection;

namespace ServiceBus.Amqp.Tests.Connection;

[TestClass]
public sealed class EntityAddress_Specs
{
    [TestMethod]
    [DataRow("/orders", "orders")]
    [DataRow("orders", "orders")]
    [DataRow("amqp://localhost:5672/orders/Subscriptions/sap-fulfillment", "orders/Subscriptions/sap-fulfillment")]
    [DataRow("sb://ns.servicebus.windows.net/work/$DeadLetterQueue", "work/$DeadLetterQueue")]
    public void An_entity_address_names_its_path_whatever_the_form(string address, string path)
    {
        var parsed = EntityAddress.Parse(address);

        Assert.AreEqual(EntityAddressKind.Entity, parsed.Kind);
        Assert.AreEqual(path, parsed.EntityPath);
    }

    [TestMethod]
    public void The_management_node_of_an_entity_names_the_entity()
    {
        var parsed = EntityAddress.Parse("/orders/Subscriptions/lake-archive/$management");

        Assert.AreEqual(EntityAddressKind.Management, parsed.Kind);
        Assert.AreEqual("orders/Subscriptions/lake-archive", parsed.EntityPath);
    }

    [TestMethod]
    public void The_cbs_node_is_recognised_in_any_case()
    {
        Assert.AreEqual(EntityAddressKind.Cbs, EntityAddress.Parse("$CBS").Kind);
    }

    [TestMethod]
    public void The_emulator_connection_string_names_a_port_other_than_5672()
    {
        Assert.AreEqual("Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
            ServiceBusAmqpServer.FormatConnectionString(5672));
        StringAssert.StartsWith(ServiceBusAmqpServer.FormatConnectionString(5673), "Endpoint=sb://localhost:5673;");
    }
}
