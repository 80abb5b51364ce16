namespace OrderEvents.CustomCode.Tests.Conventions;

/// <summary>The convention checks on small fixture repositories in a temporary folder.</summary>
[TestClass]
public sealed class NamingConventions_Specs
{
    private string root = null!;

    [TestInitialize]
    public void CreateFixtureFolder() => root = Directory.CreateTempSubdirectory("naming-conventions-").FullName;

    [TestCleanup]
    public void DeleteFixtureFolder() => Directory.Delete(root, recursive: true);

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string[] Violations() => NamingConventions.Check(root).Select(v => $"{v.File} {v.Name}").ToArray();

    [TestMethod]
    public void A_repository_without_any_of_the_files_passes()
    {
        Assert.AreEqual(0, Violations().Length);
    }

    [TestMethod]
    public void Conforming_files_pass()
    {
        Write("workflows/SapFulfillment/workflow.json", "{\"definition\": {\"x\": \"@appsetting('Orders_TopicName')\"}}");
        Write("workflows/SapFulfillmentDeadLetters/workflow.json", "{}");
        Write("connections.json", "{\"serviceProviderConnections\": {\"serviceBusPublisher\": {\"serviceProvider\": {\"id\": \"/serviceProviders/serviceBus\"}, \"parameterValues\": {\"fullyQualifiedNamespace\": \"@appsetting('serviceBusPublisher_fullyQualifiedNamespace')\"}}}, \"managedApiConnections\": {\"twilio\": {\"api\": {\"id\": \"/subscriptions/@{appsetting('WORKFLOWS_SUBSCRIPTION_ID')}/x\"}}}}");
        Write("parameters.json", "{\"ordersTopicName\": {\"type\": \"String\", \"value\": \"@appsetting('Orders_TopicName')\"}}");
        Write("deploy/servicebus/Config.json", "{\"UserConfig\": {\"Namespaces\": [{\"Topics\": [{\"Name\": \"orders\", \"Subscriptions\": [{\"Name\": \"sap-fulfillment\", \"Rules\": [{\"Name\": \"$Default\"}, {\"Name\": \"order-lifecycle\"}]}]}], \"Queues\": [{\"Name\": \"deadletters-sap-fulfillment\"}]}]}}");
        Write("Artifacts/Schemas/OrderCreated.v1.0.schema.json", "{}");
        Write("Artifacts/Schemas/registry.json", "{}");

        Assert.AreEqual(0, Violations().Length, string.Join("\n", NamingConventions.Check(root)));
    }

    [TestMethod]
    public void A_workflow_folder_that_is_not_pascal_case_is_reported()
    {
        Write("workflows/sap-fulfillment/workflow.json", "{}");
        Write("workflows/SAPFulfillment/workflow.json", "{}");
        Write("workflows/DeadLettersSap/workflow.json", "{}");
        Write("workflows/NotAWorkflow/readme.txt", "folders without workflow.json are not workflows");

        CollectionAssert.AreEquivalent(new[] { "workflows/ sap-fulfillment", "workflows/ SAPFulfillment", "workflows/ DeadLettersSap" }, Violations());
    }

    [TestMethod]
    public void Connection_keys_that_break_the_conventions_are_reported()
    {
        Write("connections.json", "{\"serviceProviderConnections\": {\"ServiceBus\": {\"serviceProvider\": {\"id\": \"/serviceProviders/serviceBus\"}}, \"ordersBus\": {\"serviceProvider\": {\"id\": \"/serviceProviders/serviceBus\"}}, \"sap_erp\": {}}}");

        CollectionAssert.AreEquivalent(new[] { "connections.json ServiceBus", "connections.json ordersBus", "connections.json sap_erp" }, Violations());
    }

    [TestMethod]
    public void Service_bus_entities_that_are_not_kebab_case_or_orphan_dead_letter_queues_are_reported()
    {
        Write("deploy/servicebus/Config.json", "{\"UserConfig\": {\"Namespaces\": [{\"Topics\": [{\"Name\": \"Orders\", \"Subscriptions\": [{\"Name\": \"sms_notification\", \"Rules\": [{\"Name\": \"OptIn\"}]}]}], \"Queues\": [{\"Name\": \"deadletters-lake-archive\"}, {\"Name\": \"DeadLetters\"}]}]}}");

        CollectionAssert.AreEquivalent(new[]
        {
            "deploy/servicebus/Config.json Orders", "deploy/servicebus/Config.json sms_notification", "deploy/servicebus/Config.json OptIn",
            "deploy/servicebus/Config.json deadletters-lake-archive", "deploy/servicebus/Config.json DeadLetters",
        }, Violations());
    }

    [TestMethod]
    public void Schema_files_that_break_the_naming_scheme_are_reported()
    {
        Write("Artifacts/Schemas/OrderCreated.schema.json", "{}");
        Write("Artifacts/Schemas/orderCreated.v1.0.schema.json", "{}");
        Write("Artifacts/Schemas/OrderCreated.v1.0.json", "{}");
        Write("Artifacts/Schemas/OrderCreated.v01.0.schema.json", "{}");

        Assert.AreEqual(4, Violations().Length, string.Join("\n", Violations()));
    }

    [TestMethod]
    public void App_settings_and_parameters_that_break_the_conventions_are_reported()
    {
        Write("connections.json", "{\"serviceProviderConnections\": {\"serviceBusPublisher\": {\"serviceProvider\": {\"id\": \"/serviceProviders/serviceBus\"}, \"parameterValues\": {\"fullyQualifiedNamespace\": \"@appsetting('SERVICEBUS_NAMESPACE')\"}}}}");
        Write("parameters.json", "{\"OrdersTopicName\": {\"value\": \"@appsetting('orders-topic')\"}}");
        Write("workflows/OrderIntake/workflow.json", "{\"a\": \"@appsetting('serviceBusPublisher_fullyQualifiedNamespace')\", \"b\": \"@{appsetting('serviceBusUnknown_identity')}\", \"c\": \"@appsetting('orders_TopicName')\"}");

        CollectionAssert.AreEquivalent(new[]
        {
            "connections.json SERVICEBUS_NAMESPACE", "parameters.json OrdersTopicName", "parameters.json orders-topic",
            "workflows/OrderIntake/workflow.json serviceBusUnknown_identity", "workflows/OrderIntake/workflow.json orders_TopicName",
        }, Violations());
    }

    [TestMethod]
    public void A_file_that_is_not_json_is_reported_rather_than_crashing_the_check()
    {
        Write("connections.json", "{ not json");

        CollectionAssert.AreEqual(new[] { "connections.json (file)" }, Violations());
    }

    [TestMethod]
    public void Test_classes_in_the_two_styles_pass_and_others_are_reported()
    {
        Write("tests/A.Tests/When_an_order_arrives_it_is_completed.cs", "[TestClass]\npublic sealed class When_an_order_arrives_it_is_completed { }");
        Write("tests/A.Tests/OrderLake_Specs.cs", "public abstract class OrderLake_Specs\n{\n    [TestClass] public sealed class OnAzurite : OrderLake_Specs { }\n}");
        Write("tests/A.Tests/Support/Helper.cs", "internal static class Helper { }");
        Write("tests/A.Tests/OrderLakeTests.cs", "[TestClass]\npublic sealed class OrderLakeTests { }");
        Write("tests/A.Tests/When_two_classes_share_a_file.cs", "[TestClass]\npublic sealed class When_two_classes_share_a_file { }\n\n[TestClass]\npublic sealed class Other_Specs { }");
        Write("tests/A.Tests/When_.cs", "[TestClass]\npublic sealed class When_ { }");
        Write("tests/A.Tests/obj/Generated_Tests.cs", "[TestClass]\npublic sealed class Generated_Tests { }");

        CollectionAssert.AreEquivalent(
            new[] { "tests/A.Tests/OrderLakeTests.cs OrderLakeTests", "tests/A.Tests/When_two_classes_share_a_file.cs Other_Specs", "tests/A.Tests/When_.cs When_" },
            Violations());
    }

    [TestMethod]
    public void Solution_folders_that_are_not_the_leading_folders_of_their_projects_are_reported()
    {
        Write(NamingConventions.SolutionFile, """
            Project("{2150E333-8FDC-42A3-9474-1A3956D46DE8}") = "tools", "tools", "{00000000-0000-0000-0000-000000000001}"
            EndProject
            Project("{2150E333-8FDC-42A3-9474-1A3956D46DE8}") = "Runtime", "Runtime", "{00000000-0000-0000-0000-000000000002}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Workflows.Runtime", "tools\Workflows.Runtime\Workflows.Runtime.csproj", "{00000000-0000-0000-0000-000000000003}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Cli", "tools\Cli\Cli.csproj", "{00000000-0000-0000-0000-000000000004}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Loose", "tests\Loose\Loose.csproj", "{00000000-0000-0000-0000-000000000005}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Top", "Top.csproj", "{00000000-0000-0000-0000-000000000006}"
            EndProject
            Global
            	GlobalSection(NestedProjects) = preSolution
            		{00000000-0000-0000-0000-000000000002} = {00000000-0000-0000-0000-000000000001}
            		{00000000-0000-0000-0000-000000000003} = {00000000-0000-0000-0000-000000000002}
            		{00000000-0000-0000-0000-000000000004} = {00000000-0000-0000-0000-000000000001}
            		{00000000-0000-0000-0000-000000000005} = {00000000-0000-0000-0000-000000000001}
            	EndGlobalSection
            EndGlobal
            """);

        CollectionAssert.AreEquivalent(
            new[] { "OrderIntegration.sln tools/Workflows.Runtime/Workflows.Runtime.csproj", "OrderIntegration.sln tests/Loose/Loose.csproj" },
            Violations());
    }
}
