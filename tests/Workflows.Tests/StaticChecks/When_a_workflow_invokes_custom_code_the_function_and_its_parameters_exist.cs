using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;

namespace Workflows.Tests.StaticChecks;

/// <summary>Every InvokeFunction names a function of the custom-code catalog and passes exactly its parameters, every one
/// of them: an optional one with its default when the workflow has nothing else. How the .NET 8 custom-code worker binds
/// a parameter the action leaves out is not documented (Learn's "Create and run .NET code from Standard workflows" shows
/// only a template whose action passes all its parameters), so no workflow relies on it.</summary>
internal static class CustomCodeCalls
{
    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var (name, workflow) in files.Workflows)
        {
            foreach (var action in WorkflowWalker.Operations(name, workflow).Where(o => o.Type.Equals("InvokeFunction", StringComparison.OrdinalIgnoreCase)))
            {
                var functionName = (string?)action.Body.SelectToken("inputs.functionName") ?? "";
                var function = FunctionCatalog.Find(functionName);
                if (function is null)
                {
                    problems.Add($"{name}: {action.Path} calls '{functionName}', which is not in the custom-code catalog ({string.Join(", ", FunctionCatalog.All.Select(f => f.Name).Order())}).");
                    continue;
                }
                var passed = (action.Body.SelectToken("inputs.parameters") as JObject ?? new JObject()).Properties().Select(p => p.Name).ToArray();
                foreach (var unknown in passed.Where(p => !function.Parameters.Any(f => f.Name.Equals(p, StringComparison.OrdinalIgnoreCase))))
                    problems.Add($"{name}: {action.Path} passes '{unknown}', which {function.Name} does not take ({string.Join(", ", function.Parameters.Select(p => p.Name))}).");
                foreach (var missing in function.Parameters.Where(f => !passed.Contains(f.Name, StringComparer.OrdinalIgnoreCase)))
                    problems.Add(missing.IsOptional
                        ? $"{name}: {action.Path} does not pass '{missing.Name}' of {function.Name}: pass it, its default when nothing else (the worker's binding of a missing parameter is not documented)."
                        : $"{name}: {action.Path} does not pass '{missing.Name}', which {function.Name} requires.");
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_a_workflow_invokes_custom_code_the_function_and_its_parameters_exist
{
    [TestMethod]
    public void Every_InvokeFunction_matches_a_catalog_function_and_its_parameters() =>
        Problems.AssertNone(CustomCodeCalls.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void An_unknown_function_name_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchive",
            w => w.SelectTokens("$..Archive_the_order_event.inputs.functionName").Single().Replace("WriteOrderToTheLake"));
        Problems.AssertReported(CustomCodeCalls.Find(fixture.Files), "calls 'WriteOrderToTheLake', which is not in the custom-code catalog");
    }

    [TestMethod]
    public void An_optional_parameter_left_out_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SmsNotification",
            w => ((JObject)w.SelectTokens("$..Decide_settlement.inputs.parameters").Single()).Remove("outcomeUnknown"));
        Problems.AssertReported(CustomCodeCalls.Find(fixture.Files), "does not pass 'outcomeUnknown' of DecideSettlement: pass it, its default when nothing else");
    }

    [TestMethod]
    public void A_parameter_the_function_does_not_take_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("OrderIntake",
            w => ((JObject)w.SelectTokens("$..Prepare_to_publish.inputs.parameters").Single())["strict"] = true);
        Problems.AssertReported(CustomCodeCalls.Find(fixture.Files), "passes 'strict'");
    }
}
