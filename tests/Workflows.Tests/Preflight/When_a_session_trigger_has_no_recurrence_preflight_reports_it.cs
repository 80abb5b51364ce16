using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Preflight;

/// <summary>The Service Bus session triggers are polling triggers: the designer (and the Workflows SDK) give them a recurrence.</summary>
[TestClass]
public sealed class When_a_session_trigger_has_no_recurrence_preflight_reports_it
{
    private static JObject Trigger(JObject workflow) => (JObject)((JObject)workflow.SelectToken("definition.triggers")!).Properties().Single().Value;

    [TestMethod]
    public void A_missing_recurrence_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditWorkflow("WarehouseInventory", w => Trigger(w).Remove("recurrence"));
        PreflightAssert.Single(fixture.Problems(), "WarehouseInventory/workflow.json", "(onSingleNewMessageFromTopicSession) has no recurrence");
    }

    [TestMethod]
    public void An_unknown_frequency_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditWorkflow("SapFulfillment", w => Trigger(w)["recurrence"]!["frequency"] = "Millisecond");
        PreflightAssert.Single(fixture.Problems(), "SapFulfillment/workflow.json", "recurrence.frequency 'Millisecond'");
    }

    [TestMethod]
    public void A_zero_interval_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditWorkflow("SapFulfillment", w => Trigger(w)["recurrence"]!["interval"] = 0);
        PreflightAssert.Single(fixture.Problems(), "SapFulfillment/workflow.json", "recurrence.interval '0'");
    }
}
