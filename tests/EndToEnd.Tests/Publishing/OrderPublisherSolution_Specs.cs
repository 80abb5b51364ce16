using System.Reflection;
using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.PowerPlatform;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Messaging;

namespace EndToEnd.Tests.Publishing;

[TestClass]
public sealed class OrderPublisherSolution_Specs
{
    private static readonly string[] ComposingSteps = ["List_order_lines", "Map_order_lines", "Customer_columns", "Order_event"];

    /// <summary>Properties only the intake can set (they need the authenticated caller).</summary>
    private static readonly string[] IntakeOnlyProperties = ["publishedBy"];

    private static readonly CloudFlowSolution Solution = CloudFlowSolution.Load(LocalPublisher.SolutionFolder);

    private static JObject Step(CloudFlow flow, string name) => (JObject)flow.Definition.SelectToken($"actions.Publish.actions.{name}")!;

    [TestMethod]
    public void The_solution_has_both_flows_their_connection_references_and_environment_variables()
    {
        CollectionAssert.AreEquivalent(new[] { LocalPublisher.IntakeFlow, LocalPublisher.TopicFlow }, Solution.Flows.Select(f => f.Name).ToArray());
        Assert.AreEqual("/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps", Solution.ConnectionReferences["oi_Dataverse"]);
        Assert.AreEqual("/providers/Microsoft.PowerApps/apis/shared_servicebus", Solution.ConnectionReferences["oi_ServiceBus"]);
        Assert.IsTrue(Solution.EnvironmentVariables["oi_PublisherClientSecret"].IsSecret);
        Assert.IsNull(Solution.EnvironmentVariables["oi_PublisherClientSecret"].DefaultValue, "a secret ships no value");
    }

    [TestMethod]
    public void Both_flows_compose_the_event_with_the_same_steps()
    {
        var intake = Solution.Flow(LocalPublisher.IntakeFlow);
        var topic = Solution.Flow(LocalPublisher.TopicFlow);

        foreach (var step in ComposingSteps)
            Assert.IsTrue(JToken.DeepEquals(Step(intake, step), Step(topic, step)), $"'{step}' differs between the two flows");
    }

    [TestMethod]
    public void The_direct_variant_sets_every_routing_property_the_intake_sets()
    {
        var send = Step(Solution.Flow(LocalPublisher.TopicFlow), "Send_to_the_orders_topic")["inputs"]!["parameters"]!;
        var intakeProperties = typeof(OrderMessageProperties).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)
            .Except(IntakeOnlyProperties).Order().ToArray();

        CollectionAssert.AreEqual(intakeProperties, ((JObject)send["message/Properties"]!).Properties().Select(p => p.Name).Order().ToArray());
        StringAssert.Contains(send["message/MessageId"]!.ToString(), "messageId");
        StringAssert.Contains(send["message/SessionId"]!.ToString(), "orderId");
    }

    [TestMethod]
    public void A_flow_that_is_not_a_root_component_makes_the_solution_refused()
    {
        var id = Solution.Flow(LocalPublisher.TopicFlow).WorkflowId.ToString("D");

        var error = RefusedAfter(Path.Combine("Other", "Solution.xml"), l => l.Contains(id, StringComparison.OrdinalIgnoreCase) && l.Contains("RootComponent", StringComparison.Ordinal));

        StringAssert.Contains(error.Message, "not a root component");
    }

    [TestMethod]
    public void A_secret_environment_variable_without_its_Key_Vault_store_makes_the_solution_refused()
    {
        var error = RefusedAfter(Path.Combine("environmentvariabledefinitions", "oi_PublisherClientSecret", "environmentvariabledefinition.xml"),
            l => l.Contains("<secretstore>", StringComparison.Ordinal));

        StringAssert.Contains(error.Message, "environment variable oi_PublisherClientSecret is a secret (type 100000005) without <secretstore>0</secretstore>");
    }

    [TestMethod]
    public void A_step_that_reads_the_results_of_a_scope_holding_secured_steps_is_secured_too()
    {
        foreach (var flow in Solution.Flows)
        {
            var actions = flow.Definition.Descendants().OfType<JProperty>()
                .Where(p => p.Parent?.Parent is JProperty { Name: "actions" } && p.Value is JObject)
                .ToDictionary(p => p.Name, p => (JObject)p.Value);
            foreach (var (name, action) in actions)
            {
                foreach (var scope in System.Text.RegularExpressions.Regex.Matches(action["inputs"]?.ToString() ?? "", @"result\('([^']+)'\)").Select(m => m.Groups[1].Value))
                {
                    var secured = actions[scope].Descendants().OfType<JProperty>().Any(p => p.Name == "secureData");
                    if (!secured) continue;
                    var properties = action.SelectToken("runtimeConfiguration.secureData.properties")?.Values<string>().ToArray() ?? [];
                    CollectionAssert.IsSubsetOf(new[] { "inputs", "outputs" }, properties,
                        $"{flow.Name}: {name} reads result('{scope}'), whose steps hold secured data (the publisher secret): its inputs and outputs must be secured too");
                }
            }
        }
    }

    /// <summary>Loads a copy of the solution with the lines of <paramref name="file"/> that <paramref name="removed"/> picks
    /// taken out, and returns the refusal.</summary>
    private static InvalidOperationException RefusedAfter(string file, Func<string, bool> removed)
    {
        var copy = Path.Combine(Path.GetTempPath(), "solution-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            CopyFolder(LocalPublisher.SolutionFolder, copy);
            var path = Path.Combine(copy, file);
            File.WriteAllLines(path, File.ReadAllLines(path).Where(l => !removed(l)));
            return Assert.Throws<InvalidOperationException>(() => CloudFlowSolution.Load(copy));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
