using Microsoft.Azure.Amqp.Encoding;

namespace ServiceBus.Amqp.Messages;

/// <summary>String-keyed access to the AMQP maps of management requests and replies.</summary>
internal static class AmqpMaps
{
    public static object? Get(this AmqpMap map, string key) => map[new MapKey(key)];

    public static void Set(this AmqpMap map, string key, object? value) => map[new MapKey(key)] = value;
}
