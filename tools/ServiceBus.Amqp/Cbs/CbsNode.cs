using Microsoft.Azure.Amqp;
using ServiceBus.Amqp.Connection;

namespace ServiceBus.Amqp.Cbs;

/// <summary>
/// Claims-based security: before each link a client puts a token (a SAS token, or an Entra ID token in Azure) on the
/// <c>$cbs</c> node ("AMQP 1.0 in Azure Service Bus and Event Hubs protocol guide", section "Claims-based
/// authorization"; https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-protocol-guide#claims-based-authorization).
/// Locally every well-formed put-token is accepted (202), like the Service Bus emulator, whose connection string carries
/// a fixed placeholder key: the local broker does not check keys or rights.
/// </summary>
internal static class CbsNode
{
    public const string PutToken = "put-token";
    private const string StatusCode = "status-code";
    private const string StatusDescription = "status-description";

    public static Task<AmqpMessage> HandleAsync(AmqpMessage request)
    {
        var properties = request.ApplicationProperties?.Map;
        var operation = properties?["operation"] as string;
        if (!string.Equals(operation, PutToken, StringComparison.Ordinal))
            return Task.FromResult(RequestResponse.Reply(StatusCode, StatusDescription, 400, $"Unsupported $cbs operation '{operation}'; only '{PutToken}' is served."));
        if (properties?["name"] is not string audience || string.IsNullOrWhiteSpace(audience))
            return Task.FromResult(RequestResponse.Reply(StatusCode, StatusDescription, 400, "The put-token request names no audience ('name')."));
        return Task.FromResult(RequestResponse.Reply(StatusCode, StatusDescription, 202, "Accepted"));
    }
}
