using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>What a workflow does on Service Bus through one connection: send to or receive from one entity.</summary>
public sealed record ServiceBusAccessNeed(string Workflow, string Operation, string Connection, string Role, string Scope);

/// <summary>
/// Follows every built-in Service Bus trigger and action of every workflow to the entity it touches:
/// <c>@parameters('p')</c> → parameters.json <c>@appsetting('S')</c> → the template's value of S. Session settle
/// operations name no entity (they act on the trigger's session) and are covered by the trigger's need.
/// </summary>
public static class ServiceBusAccessNeeds
{
    public static IReadOnlyList<ServiceBusAccessNeed> Find(JObject appSettings)
    {
        var parameters = RepositoryFiles.ReadJson("parameters.json");
        string Resolve(string? expression, string where)
        {
            if (expression is null) return "";
            var parameterName = System.Text.RegularExpressions.Regex.Match(expression, @"^@parameters\('([^']+)'\)$");
            if (!parameterName.Success) return expression;
            var value = (string?)parameters[parameterName.Groups[1].Value]?["value"]
                ?? throw new InvalidOperationException($"{where}: parameters.json has no '{parameterName.Groups[1].Value}'.");
            var setting = System.Text.RegularExpressions.Regex.Match(value, @"^@appsetting\('([^']+)'\)$");
            if (!setting.Success) return value;
            return (string?)appSettings[setting.Groups[1].Value]
                ?? throw new InvalidOperationException($"{where}: the template sets no app setting '{setting.Groups[1].Value}'.");
        }

        var needs = new List<ServiceBusAccessNeed>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.PathOf("workflows"), "workflow.json", SearchOption.AllDirectories).Order())
        {
            var workflow = Path.GetFileName(Path.GetDirectoryName(file))!;
            foreach (var operation in JObject.Parse(File.ReadAllText(file)).Descendants().OfType<JObject>()
                         .Where(o => (string?)o["type"] == "ServiceProvider"
                                     && (string?)o.SelectToken("inputs.serviceProviderConfiguration.serviceProviderId") == "/serviceProviders/serviceBus"))
            {
                var inputs = operation["inputs"]!;
                var operationId = (string)inputs.SelectToken("serviceProviderConfiguration.operationId")!;
                var connection = (string)inputs.SelectToken("serviceProviderConfiguration.connectionName")!;
                var p = inputs["parameters"] as JObject ?? [];
                var where = $"{workflow} {operationId}";
                string scope;
                if (p["subscriptionName"] is not null) scope = $"subscription {Resolve((string?)p["topicName"], where)}/{Resolve((string?)p["subscriptionName"], where)}";
                else if (p["queueName"] is not null) scope = $"queue {Resolve((string?)p["queueName"], where)}";
                else if (p["entityName"] is not null) scope = $"topic {Resolve((string?)p["entityName"], where)}";
                else if (p["topicName"] is not null) scope = $"topic {Resolve((string?)p["topicName"], where)}";
                else continue;
                var role = operationId.StartsWith("send", StringComparison.OrdinalIgnoreCase)
                    ? "Azure Service Bus Data Sender"
                    : "Azure Service Bus Data Receiver";
                needs.Add(new ServiceBusAccessNeed(workflow, operationId, connection, role, scope));
            }
        }
        return needs;
    }
}
