using System.Text.RegularExpressions;
using Cli.Commands;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// A response header takes only visible ASCII: a control character, an emoji or U+202E in a header value fails the
/// Response action, and the caller gets a 500 it retries forever. So every Response header value is a visible-ASCII
/// literal or comes from custom code (an InvokeFunction result, e.g. PrepareToPublish's <c>correlationId</c>, which
/// is checked to be visible ASCII), never from the request (trigger) or an action that copies it; and the Request
/// trigger's client tracking id (echoed as <c>x-ms-client-tracking-id</c>) passes only a value equal to its own
/// <c>uriComponent()</c>, i.e. unreserved ASCII.
/// </summary>
internal static class HeaderSafety
{
    private static readonly Regex Reference = new(@"\b(?<function>body|outputs|actions)\('(?<name>[^']+)'\)|\b(?<function>trigger|triggerBody|triggerOutputs)\(\)", RegexOptions.CultureInvariant);

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var (name, workflow) in files.Workflows)
        {
            var operations = WorkflowWalker.Operations(name, workflow).ToList();
            var types = operations.Where(o => !o.IsTrigger).ToDictionary(o => o.Name, o => o.Type);
            foreach (var response in operations.Where(o => o.Type == "Response"))
            {
                foreach (var header in (response.Body.SelectToken("inputs.headers") as JObject ?? new JObject()).Properties())
                {
                    var value = (string?)header.Value ?? "";
                    if (!value.StartsWith('@'))
                    {
                        if (!value.All(c => c is >= ' ' and <= '~')) problems.Add($"{name}: {response.Name} header {header.Name} is not ASCII text.");
                        continue;
                    }
                    foreach (Match reference in Reference.Matches(value))
                    {
                        var function = reference.Groups["function"].Value;
                        var action = reference.Groups["name"].Value;
                        if (function.StartsWith("trigger", StringComparison.Ordinal))
                            problems.Add($"{name}: {response.Name} header {header.Name} echoes the request ({function}()): unvalidated text in a response header.");
                        else if (types.GetValueOrDefault(action) != "InvokeFunction")
                            problems.Add($"{name}: {response.Name} header {header.Name} comes from '{action}' ({types.GetValueOrDefault(action) ?? "unknown"}), not from custom code that makes it header-safe.");
                    }
                }
            }
            foreach (var trigger in operations.Where(o => o.IsTrigger && o.Type == "Request"))
            {
                var tracking = (string?)trigger.Body.SelectToken("correlation.clientTrackingId");
                if (tracking is not null && !tracking.Contains("uriComponent(", StringComparison.Ordinal))
                    problems.Add($"{name}: the Request trigger's clientTrackingId is not limited to a value equal to its uriComponent(): it is echoed as x-ms-client-tracking-id.");
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_a_workflow_responds_only_header_safe_text_reaches_a_header
{
    [TestMethod]
    public void The_committed_workflows_put_only_literals_and_custom_code_results_in_headers() =>
        Problems.AssertNone(HeaderSafety.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void The_former_intake_that_echoed_a_compose_of_the_request_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("OrderIntake", w =>
        {
            ((JObject)w.SelectToken("definition.actions")!).AddFirst(new JProperty("Resolve_correlation_id",
                new JObject { ["type"] = "Compose", ["inputs"] = "@{triggerOutputs()?['headers']?['x-correlation-id']}", ["runAfter"] = new JObject() }));
            w.SelectTokens("$..Accept_the_event.inputs.headers.x-correlation-id").Single().Replace("@{outputs('Resolve_correlation_id')}");
        });
        Problems.AssertReported(HeaderSafety.Find(fixture.Files), "OrderIntake: Accept_the_event header x-correlation-id comes from 'Resolve_correlation_id' (Compose)");
    }

    [TestMethod]
    public void A_client_tracking_id_taken_from_the_body_as_it_is_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("OrderIntake",
            w => w.SelectToken("definition.triggers.*.correlation.clientTrackingId")!.Replace("@{triggerBody()?['correlationId']}"));
        Problems.AssertReported(HeaderSafety.Find(fixture.Files), "the Request trigger's clientTrackingId");
    }
}
