using Newtonsoft.Json.Linq;
using Workflows.Tests.Support;

namespace Workflows.Tests.Intake;

[TestClass]
public sealed class When_the_posted_body_is_not_an_object_the_caller_gets_400_naming_the_violation
{
    // README (workflows, Intake): the trigger requires nothing, so the custom-code validator reports every
    // violation. Today the trigger's correlation.clientTrackingId (and Resolve_correlation_id) select
    // triggerBody()?['correlationId'], which is an expression error on an array body: the trigger fails
    // before the validator runs and the caller never gets the 400.
    [TestMethod]
    public async Task An_array_body_is_refused_with_the_validators_error()
    {
        using var scenario = new WorkflowScenario();
        var expected = (JArray)JObject.Parse(Project.Sample("invalid/not-an-object.expected.json"))["errors"]!;

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("invalid/not-an-object.json")));

        Assert.AreEqual(400, response.StatusCode, response.Body?.ToString());
        Assert.AreEqual(expected[0]!.Value<string>("code"), response.Body?["errors"]?[0]?.Value<string>("code"));
        Assert.AreEqual(0, scenario.Bus.Sent.Count);
    }
}
