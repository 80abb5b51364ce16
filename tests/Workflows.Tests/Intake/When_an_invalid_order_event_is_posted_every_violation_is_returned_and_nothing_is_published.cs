using Newtonsoft.Json.Linq;
using Workflows.Tests.Support;

namespace Workflows.Tests.Intake;

[TestClass]
public sealed class When_an_invalid_order_event_is_posted_every_violation_is_returned_and_nothing_is_published
{
    [TestMethod]
    [DataRow("negative-amounts")]
    [DataRow("missing-fields")]
    [DataRow("phone-not-e164")]
    [DataRow("unknown-event-type")]
    public async Task The_caller_gets_400_listing_the_paths_and_codes_of_the_contract(string sample)
    {
        using var scenario = new WorkflowScenario();
        var expected = (JArray)JObject.Parse(Project.Sample($"invalid/{sample}.expected.json"))["errors"]!;

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample($"invalid/{sample}.json")));

        Assert.AreEqual(400, response.StatusCode, response.Body?.ToString());
        Assert.AreEqual("InvalidOrderEvent", response.Body?.Value<string>("error"));
        var reported = ((JArray)response.Body!["errors"]!).Select(e => $"{e.Value<string>("path")} {e.Value<string>("code")}").ToList();
        foreach (var error in expected)
            CollectionAssert.Contains(reported, $"{error.Value<string>("path")} {error.Value<string>("code")}", string.Join("; ", reported));
        Assert.AreEqual(0, scenario.Bus.Sent.Count);
        Assert.AreEqual(0, scenario.Host.ServiceProvider("/serviceProviders/serviceBus").CallsTo("sendMessage").Count);
    }

    [TestMethod]
    public async Task The_validation_is_tracked_on_the_run()
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("invalid/negative-amounts.json")));
        var run = await response.Run!.Completion;

        var tracked = run.Action("Prepare_to_publish").TrackedProperties!;
        Assert.IsFalse(tracked.Value<bool>("isValid"));
        Assert.AreEqual(response.Body?.Value<string>("messageId"), tracked.Value<string>("messageId"));
        Assert.AreEqual("Negative", tracked.Value<string>("errorCodes"), "two negative values: one code, once");
        Assert.AreEqual("$.data.amount", tracked.Value<string>("firstErrorPath"));
    }

    [TestMethod]
    public async Task A_rejection_for_several_rules_is_tracked_under_all_its_codes_sorted()
    {
        using var scenario = new WorkflowScenario();
        var orderEvent = JObject.Parse(Project.Sample("invalid/missing-fields.json"));
        orderEvent["data"]!["currency"] = "euro";

        var response = await scenario.Host.PostAsync("OrderIntake", orderEvent);
        var run = await response.Run!.Completion;

        Assert.AreEqual(400, response.StatusCode);
        var tracked = run.Action("Prepare_to_publish").TrackedProperties!;
        Assert.AreEqual("InvalidCurrency,Required", tracked.Value<string>("errorCodes"));
        Assert.AreEqual(response.Body!["errors"]![0]!.Value<string>("path"), tracked.Value<string>("firstErrorPath"));
    }

    [TestMethod]
    public async Task An_accepted_event_tracks_no_error_codes()
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));
        var run = await response.Run!.Completion;

        Assert.AreEqual(202, response.StatusCode);
        var tracked = run.Action("Prepare_to_publish").TrackedProperties!;
        Assert.IsTrue(tracked["errorCodes"] is null || tracked["errorCodes"]!.Type == JTokenType.Null);
    }
}
