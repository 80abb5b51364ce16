using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure;

namespace Workflows.Tests.Monitoring;

/// <summary>The dashboard's KQL only uses documented tables and columns and the tracked properties, workflow and
/// action names the workflows really have: renaming one breaks this test, not the dashboard.</summary>
[TestClass]
public sealed class When_the_dashboard_queries_run_they_match_the_telemetry
{
    private static readonly Lazy<KqlCheck> Check = new(() => WorkflowCatalog.Load().Checker(RepositoryFiles.ReadJson("deploy/monitoring/schema.json")));

    private static IEnumerable<string> QueryFiles() =>
        Directory.EnumerateFiles(RepositoryRoot.PathOf("deploy/monitoring"), "*.kql").Order();

    [TestMethod]
    public void There_is_a_query_for_each_dashboard_question()
    {
        var names = QueryFiles().Select(Path.GetFileName).ToHashSet();
        foreach (var expected in new[]
                 {
                     "find-run-by-order-or-correlation.kql", "throughput-per-subscriber.kql", "failures-and-dead-letters-per-subscriber.kql",
                     "end-to-end-latency.kql", "retries.kql", "settlement-skipped.kql", "service-bus-metrics.kql", "alert-workflow-failure-rate.kql",
                     "delivery-outcomes-per-subscriber.kql", "delivery-counts.kql", "retries-per-step.kql", "dead-letters-and-alerts.kql",
                     "intake-responses.kql", "runs-by-order.kql",
                 })
        {
            Assert.Contains(expected, names);
        }
    }

    [TestMethod]
    public void Every_query_uses_only_documented_tables_columns_and_existing_tracked_properties()
    {
        var problems = QueryFiles().SelectMany(f => Check.Value.Problems(File.ReadAllText(f), Path.GetFileName(f))).ToList();
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void The_tracked_properties_the_brief_names_exist_in_the_workflows()
    {
        var tracked = WorkflowCatalog.Load().TrackedProperties;
        foreach (var name in new[] { "orderId", "messageId", "eventType", "subscriber", "deliveryCount", "outcome", "settlement", "deadLetterReason" })
        {
            Assert.Contains(name, tracked);
        }
    }

    [TestMethod]
    public void A_renamed_tracked_property_is_reported()
    {
        var catalog = WorkflowCatalog.Load();
        var renamed = catalog.TrackedProperties.Where(p => p != "orderId").Append("orderNumber").ToHashSet();
        var check = new KqlCheck(RepositoryFiles.ReadJson("deploy/monitoring/schema.json"), renamed, catalog.Workflows, catalog.Actions);

        var problems = check.Problems(RepositoryFiles.ReadText("deploy/monitoring/settlement-skipped.kql"), "settlement-skipped.kql");

        CollectionAssert.AreEqual(new[] { "settlement-skipped.kql: tracked property 'orderId' is not in any workflow's trackedProperties." }, problems.ToArray());
    }

    [TestMethod]
    public void An_undocumented_column_table_or_member_is_reported()
    {
        var problems = Check.Value.Problems("""
            customEvents
            | where customDimension.Category == "x"
            | extend c = todynamic(tostring(customDimensions.Correlation))
            | project timestamp, duratoin
            """, "fixture");

        CollectionAssert.AreEquivalent(new[]
        {
            "fixture: 'customEvents' is not a documented table, column or KQL word, and the query doesn't define it.",
            "fixture: 'customDimension' is not a documented table, column or KQL word, and the query doesn't define it.",
            "fixture: 'customDimension.Category' reads a member of 'customDimension', which is not a documented dynamic column.",
            "fixture: 'customDimensions.Correlation' is not a documented member of 'customDimensions'.",
            "fixture: 'duratoin' is not a documented table, column or KQL word, and the query doesn't define it.",
        }, problems.ToArray());
    }

    [TestMethod]
    public void Unknown_workflow_and_action_names_in_comparisons_are_reported()
    {
        var problems = Check.Value.Problems("""
            requests
            | where operation_Name == "OrderIntak" and tostring(customDimensions.actionName) == "Decide_settlements"
            """, "fixture");

        CollectionAssert.AreEquivalent(new[]
        {
            "fixture: no workflow has an action 'Decide_settlements'.",
            "fixture: there is no workflow 'OrderIntak'.",
        }, problems.ToArray());
    }

    [TestMethod]
    public void Unknown_action_names_in_a_list_are_reported_and_datatable_columns_count_as_defined()
    {
        var problems = Check.Value.Problems("""
            let codes = datatable(step: string, statusCode: long) ["Accept_the_event", 202];
            requests
            | where tostring(customDimensions.actionName) in ("Build_alert_card", "Post_alert_to_Slack")
            | project step, statusCode, errorCode
            """, "fixture");

        CollectionAssert.AreEquivalent(new[]
        {
            "fixture: no workflow has an action 'Post_alert_to_Slack'.",
            "fixture: 'errorCode' is not a documented table, column or KQL word, and the query doesn't define it.",
        }, problems.ToArray());
    }

    [TestMethod]
    public void An_empty_or_comment_only_query_is_reported()
    {
        CollectionAssert.AreEqual(new[] { "fixture: the query is empty." }, Check.Value.Problems("// nothing yet\n", "fixture").ToArray());
    }

    [TestMethod]
    public void The_failure_rate_alert_runs_the_committed_query_file()
    {
        var rule = RepositoryFiles.MainTemplate().ExpandResources().Single(r => r.Type == "Microsoft.Insights/scheduledQueryRules");
        Assert.AreEqual(RepositoryFiles.ReadText("deploy/monitoring/alert-workflow-failure-rate.kql"),
            (string?)rule.Json.SelectToken("properties.criteria.allOf[0].query"));
    }

    [TestMethod]
    public void Every_workbook_query_is_one_of_the_committed_query_files()
    {
        var files = QueryFiles().Select(File.ReadAllText).ToHashSet(StringComparer.Ordinal);
        var queries = RepositoryFiles.ReadJson("deploy/monitoring/workbook.json").Descendants().OfType<JObject>()
            .Where(o => (int?)o["type"] == 3).Select(o => (string?)o.SelectToken("content.query")).ToList();
        Assert.IsNotEmpty(queries);
        foreach (var query in queries) Assert.Contains(query!, files, "A workbook query differs from every .kql file: edit the .kql file and copy it.");
    }
}
