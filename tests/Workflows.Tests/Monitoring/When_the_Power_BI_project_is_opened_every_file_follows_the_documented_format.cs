using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Monitoring;

/// <summary>The PBIP under deploy/monitoring/powerbi has the files Power BI Desktop needs, each naming its published
/// $schema with the required properties and no property the schema forbids (facts: pbip-format.json), the files
/// reference each other correctly, and every visual reads a column or measure the semantic model has.</summary>
[TestClass]
public sealed class When_the_Power_BI_project_is_opened_every_file_follows_the_documented_format
{
    private static PowerBiProject Committed => new(RepositoryRoot.FullPath);

    [TestMethod]
    public void Every_file_names_its_schema_and_has_the_required_properties() => Problems.AssertNone(Committed.FormatProblems());

    [TestMethod]
    public void Every_visual_reads_a_column_or_measure_of_the_semantic_model() => Problems.AssertNone(Committed.FieldProblems());

    [TestMethod]
    public void The_report_has_a_page_for_each_question_of_the_dashboard()
    {
        var pages = Directory.GetDirectories(RepositoryRoot.PathOf(PowerBiProject.ReportFolder + "/definition/pages")).Select(Path.GetFileName).ToArray();
        CollectionAssert.AreEquivalent(new[] { "delivery-health", "latency", "retries", "dead-letters", "intake", "find-an-order" }, pages);
        Assert.IsTrue(Committed.Visuals().All(v => v.Visual.SelectToken("visual.visualContainerObjects.title[0].properties.text") is not null),
            "every visual carries a title that states the question it answers");
    }

    [TestMethod]
    public void A_file_with_a_wrong_schema_or_a_missing_required_property_is_reported()
    {
        using var fixture = new DefectFixture()
            .EditJson(PowerBiProject.ReportFolder + "/definition/pages/latency/page.json", p => { p["$schema"] = "https://developer.microsoft.com/json-schemas/fabric/item/report/definition/page/9.9.9/schema.json"; p.Remove("displayName"); })
            .EditJson(PowerBiProject.ModelFolder + "/definition.pbism", p => p["version"] = "1.0")
            .EditJson(PowerBiProject.ReportFolder + "/definition/pages/latency/visuals/p50-latency-over-time/visual.json", v => ((JObject)v["position"]!).Remove("width"));

        var problems = new PowerBiProject(fixture.Root).FormatProblems();

        Problems.AssertReported(problems, "pages/latency/page.json: $schema is 'https://developer.microsoft.com/json-schemas/fabric/item/report/definition/page/9.9.9/schema.json'");
        Problems.AssertReported(problems, "pages/latency/page.json: the required property 'displayName' is missing.");
        Problems.AssertReported(problems, "definition.pbism: version '1.0' is below 4.0");
        Problems.AssertReported(problems, "p50-latency-over-time/visual.json: the required property 'position.width' is missing.");
    }

    [TestMethod]
    public void A_property_the_schema_does_not_allow_is_reported()
    {
        using var fixture = new DefectFixture()
            .EditJson(PowerBiProject.ReportFolder + "/definition/report.json", r => r["layoutOptimization"] = "None")
            .EditJson(PowerBiProject.ReportFolder + "/definition/pages/intake/visuals/intake-volume/visual.json", v => v.SelectToken("visual.query.queryState.Y.projections[0]")!["bogus"] = true);

        var problems = new PowerBiProject(fixture.Root).FormatProblems();

        Problems.AssertReported(problems, "definition/report.json: 'layoutOptimization' is not a property the schema allows.");
        Problems.AssertReported(problems, "intake-volume/visual.json: 'bogus' is not a property a projection allows.");
    }

    [TestMethod]
    public void Broken_references_between_the_files_are_reported()
    {
        using var fixture = new DefectFixture()
            .EditJson(PowerBiProject.ReportFolder + "/definition.pbir", p => p.SelectToken("datasetReference.byPath")!["path"] = "../Sales.SemanticModel")
            .EditJson(PowerBiProject.ReportFolder + "/definition/pages/pages.json", p => ((JArray)p["pageOrder"]!).Remove(((JArray)p["pageOrder"]!).First(x => (string)x! == "intake")))
            .EditJson(PowerBiProject.ReportFolder + "/definition/pages/retries/visuals/retries-over-time/visual.json", v => { v["name"] = "retries over time"; v["position"]!["x"] = 1200; });

        var problems = new PowerBiProject(fixture.Root).FormatProblems();

        Problems.AssertReported(problems, "datasetReference.byPath.path '../Sales.SemanticModel' is not the relative path");
        Problems.AssertReported(problems, "pageOrder leaves out the page 'intake'.");
        Problems.AssertReported(problems, "retries-over-time/visual.json: name 'retries over time' differs from its folder");
        Problems.AssertReported(problems, "retries-over-time/visual.json: the visual lies outside its 1280x720 page.");
    }

    [TestMethod]
    public void A_visual_reading_a_field_the_model_lacks_is_reported()
    {
        using var fixture = new DefectFixture()
            .EditJson(PowerBiProject.ReportFolder + "/definition/pages/delivery-health/visuals/failure-rate-over-time/visual.json",
                v => v.SelectToken("visual.query.queryState.Y.projections[0].field.Measure")!["Property"] = "Failure ratio");

        CollectionAssert.AreEqual(new[]
        {
            $"{PowerBiProject.ReportFolder}/definition/pages/delivery-health/visuals/failure-rate-over-time/visual.json: table 'Delivery outcomes' has no measure 'Failure ratio'.",
            $"{PowerBiProject.ReportFolder}/definition/pages/delivery-health/visuals/failure-rate-over-time/visual.json: queryRef 'Delivery outcomes.Failure rate' is not 'Delivery outcomes.Failure ratio'.",
        }, new PowerBiProject(fixture.Root).FieldProblems().ToArray());
    }
}
