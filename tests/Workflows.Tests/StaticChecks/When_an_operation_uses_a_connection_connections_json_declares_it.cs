using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>Built-in operations name a serviceProviderConnections entry of the same provider; managed ones a managedApiConnections entry.</summary>
internal static class ConnectionReferences
{
    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        var serviceProviders = files.Connections["serviceProviderConnections"] as JObject ?? new JObject();
        var managed = files.Connections["managedApiConnections"] as JObject ?? new JObject();
        foreach (var (name, workflow) in files.Workflows)
        {
            foreach (var operation in WorkflowWalker.Operations(name, workflow))
            {
                if (operation.ServiceProviderConfiguration is { } configuration)
                {
                    var connectionName = (string?)configuration["connectionName"] ?? "";
                    var providerId = (string?)configuration["serviceProviderId"];
                    if (serviceProviders[connectionName] is not JObject connection)
                        problems.Add($"{name}: {operation.Path} uses the connection '{connectionName}', which serviceProviderConnections lacks.");
                    else if (!string.Equals((string?)connection.SelectToken("serviceProvider.id"), providerId, StringComparison.OrdinalIgnoreCase))
                        problems.Add($"{name}: {operation.Path} calls {providerId} through '{connectionName}', a {connection.SelectToken("serviceProvider.id")} connection.");
                }
                if (operation.Type.Equals("ApiConnection", StringComparison.OrdinalIgnoreCase))
                {
                    var reference = (string?)operation.Body.SelectToken("inputs.host.connection.referenceName") ?? "";
                    if (managed[reference] is null)
                        problems.Add($"{name}: {operation.Path} uses the managed connection '{reference}', which managedApiConnections lacks.");
                }
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_an_operation_uses_a_connection_connections_json_declares_it
{
    [TestMethod]
    public void Every_connector_operation_names_a_declared_connection_of_its_provider() =>
        Problems.AssertNone(ConnectionReferences.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_removed_service_bus_connection_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("connections.json", c => ((JObject)c["serviceProviderConnections"]!).Remove("serviceBusLakeArchive"));
        Problems.AssertReported(ConnectionReferences.Find(fixture.Files), "'serviceBusLakeArchive', which serviceProviderConnections lacks");
    }

    [TestMethod]
    public void A_misspelled_managed_connection_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SmsNotification",
            w => w.SelectTokens("$..Send_SMS.inputs.host.connection.referenceName").Single().Replace("twillio"));
        Problems.AssertReported(ConnectionReferences.Find(fixture.Files), "'twillio', which managedApiConnections lacks");
    }
}
