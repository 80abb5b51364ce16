using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Preflight;

/// <summary>Every @appsetting('...') of connections.json, parameters.json or a workflow is an app setting the IaC gives the Logic App.</summary>
[TestClass]
public sealed class When_the_app_reads_an_app_setting_the_IaC_does_not_define_preflight_reports_it
{
    [TestMethod]
    public void A_parameter_reading_an_undefined_setting_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("parameters.json", p => p["warehouseApiVersion"] = new JObject { ["type"] = "String", ["value"] = "@appsetting('Warehouse_ApiVersion')" });
        PreflightAssert.Single(fixture.Problems(), "parameters.json", "reads the app setting 'Warehouse_ApiVersion', which");
    }

    [TestMethod]
    public void A_connection_reading_an_undefined_setting_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("connections.json", c => c.SelectToken("serviceProviderConnections.sap.parameterValues")!["client"] = "@appsetting('sap_clientNumber')");
        PreflightAssert.Single(fixture.Problems(), "connections.json", "'sap_clientNumber'");
    }

    [TestMethod]
    public void A_workflow_reading_an_undefined_setting_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditWorkflow("OrderIntake", w => w.SelectToken("definition")!["description"] = "@{appsetting('Intake_Description')}");
        PreflightAssert.Single(fixture.Problems(), "OrderIntake/workflow.json", "'Intake_Description'");
    }
}
