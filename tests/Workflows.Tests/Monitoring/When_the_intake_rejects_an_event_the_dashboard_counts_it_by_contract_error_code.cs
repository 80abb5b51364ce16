using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Monitoring;

/// <summary>
/// The intake's 400s split by the contract's error codes: its first step tracks them (<c>errorCodes</c>, and the first
/// error's <c>firstErrorPath</c>) from its own outputs, because a tracked property is evaluated per action on that
/// action's inputs and outputs (Learn, "Monitor and collect diagnostic data for workflows", tracked properties); the
/// intake KQL joins them to the 400 answer of the same run, and the Power BI page Intake and the workbook show them.
/// </summary>
[TestClass]
public sealed partial class When_the_intake_rejects_an_event_the_dashboard_counts_it_by_contract_error_code
{
    private const string Query = "deploy/monitoring/intake-responses.kql";

    [TestMethod]
    public void The_intakes_first_step_tracks_the_error_codes_and_the_first_path_from_its_own_outputs()
    {
        var tracked = (JObject)RepositoryFiles.ReadJson("workflows/OrderIntake/workflow.json").SelectToken("definition.actions.Prepare_to_publish.trackedProperties")!;

        Assert.AreEqual("@action()?['outputs']?['body']?['errorCodes']", (string?)tracked["errorCodes"]);
        Assert.AreEqual("@action()?['outputs']?['body']?['firstErrorPath']", (string?)tracked["firstErrorPath"]);
    }

    [TestMethod]
    public void The_query_reads_the_codes_of_the_runs_first_step_and_groups_the_answers_by_them()
    {
        var kql = RepositoryFiles.ReadText(Query);

        StringAssert.Contains(kql, "tostring(customDimensions.actionName) == \"Prepare_to_publish\"");
        StringAssert.Contains(kql, "tostring(trackedProperties.errorCodes)");
        StringAssert.Matches(kql, new Regex(@"join kind=leftouter contractErrors on operation_Id"));
        StringAssert.Matches(kql, new Regex(@"summarize responses = count\(\) by [^\n]*\bcontractErrorCodes\b"));
    }

    [TestMethod]
    public void The_Intake_page_splits_the_400s_by_the_contract_error_codes()
    {
        var visual = RepositoryFiles.ReadJson("deploy/monitoring/powerbi/OrderIntegration.Report/definition/pages/intake/visuals/rejections-by-code/visual.json");
        var categories = visual.SelectTokens("visual.query.queryState.Category.projections[*].field.Column.Property").Select(t => (string?)t).ToArray();
        var values = visual.SelectTokens("visual.query.queryState.Y.projections[*].field.Measure.Property").Select(t => (string?)t).ToArray();

        CollectionAssert.AreEqual(new[] { "contractErrorCodes" }, categories);
        CollectionAssert.AreEqual(new[] { "Rejected (400)" }, values);
        var table = new PowerBiProject(RepositoryRoot.FullPath).ModelTables().Single(t => t.Name == "Intake responses");
        CollectionAssert.Contains(table.Columns.ToArray(), "contractErrorCodes");
    }

    /// <summary>Every tracked property of every workflow reads its own action (<c>action()</c>), the workflow's
    /// parameters or a literal: never another action's or the trigger's outputs.</summary>
    [TestMethod]
    public void Every_tracked_property_reads_only_its_own_action()
    {
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.PathOf("workflows"), "workflow.json", SearchOption.AllDirectories).Order())
        {
            var workflow = Path.GetFileName(Path.GetDirectoryName(file))!;
            foreach (var property in JObject.Parse(File.ReadAllText(file)).Descendants().OfType<JProperty>().Where(p => p.Name == "trackedProperties"))
            {
                var action = ((JProperty)property.Parent!.Parent!).Name;
                foreach (var tracked in ((JObject)property.Value).Properties())
                {
                    var call = OtherSource().Match((string?)tracked.Value ?? "");
                    if (call.Success) problems.Add($"{workflow}/{action}: tracked property '{tracked.Name}' reads {call.Value}…");
                }
            }
        }
        Problems.AssertNone(problems);
    }

    [GeneratedRegex(@"\b(?:body|outputs|actions|result|triggerBody|triggerOutputs|trigger|variables|items|item)\(")]
    private static partial Regex OtherSource();
}
