using Cli.Commands;
using Cli.Iac;
using Cli.Preflight;
using Cli.Preflight.Iac;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Packaging;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Preflight;

/// <summary>
/// A copy of the repository that Azure would run as intended, so that each preflight test adds exactly one defect:
/// the custom code "built" and SAP NCo "present" (dummy files), and the two fixes issue 9 asks of the workflows
/// applied whether or not they have landed yet (Runtime.Backend.FlowRunTimeout of 7 days; a recurrence on every
/// session trigger).
/// </summary>
internal sealed class PreflightFixture : IDisposable
{
    public DefectFixture Repository { get; } = new DefectFixture().WithBuiltCustomCode();

    public PreflightFixture()
    {
        foreach (var library in FakeBuildOutput.SapLibraries) Repository.WriteText("lib/builtinOperationSdks/net472/" + library, "stands in for " + library);
        Repository.EditJson("host.json", host => host.SelectToken("extensions.workflow.settings")!["Runtime.Backend.FlowRunTimeout"] = "7.00:00:00");
        foreach (var workflow in Directory.GetDirectories(Path.Combine(Root, "workflows")).Select(Path.GetFileName))
        {
            static IEnumerable<JObject> SessionTriggersWithoutRecurrence(JObject w) =>
                (w.SelectToken("definition.triggers") as JObject ?? []).Properties().Select(p => p.Value).OfType<JObject>()
                    .Where(t => ((string?)t.SelectToken("inputs.serviceProviderConfiguration.operationId") ?? "").Contains("Session", StringComparison.Ordinal) && t["recurrence"] is null);
            var json = JObject.Parse(File.ReadAllText(Path.Combine(Root, "workflows", workflow!, "workflow.json")));
            if (!SessionTriggersWithoutRecurrence(json).Any()) continue; // rewriting would reformat it (generated files must stay byte-equal)
            Repository.EditWorkflow(workflow!, w =>
            {
                foreach (var trigger in SessionTriggersWithoutRecurrence(w).ToArray()) trigger["recurrence"] = new JObject { ["frequency"] = "Second", ["interval"] = 1 };
            });
        }
    }

    public string Root => Repository.Root;

    public LogicAppProject Project => LogicAppProject.Locate(Root);

    public IReadOnlyList<PreflightProblem> Problems(LogicAppSettingsInIac? iac = null, PreflightOptions? options = null) =>
        PreflightChecks.Run(AppContent.FromWorkingTree(Project), iac ?? LogicAppSettingsInIac.Read(IacTemplate.Load(Project)), options ?? new PreflightOptions());

    public void Dispose() => Repository.Dispose();
}

internal static class PreflightAssert
{
    public static void None(IReadOnlyList<PreflightProblem> problems) =>
        Assert.AreEqual(0, problems.Count, "\n" + string.Join("\n", problems));

    /// <summary>Exactly one problem, in the named file, mentioning the fragment, with a fix.</summary>
    public static PreflightProblem Single(IReadOnlyList<PreflightProblem> problems, string file, string fragment)
    {
        Assert.AreEqual(1, problems.Count, "expected exactly one problem:\n" + string.Join("\n", problems));
        var problem = problems[0];
        Assert.AreEqual(file, problem.File, problem.ToString());
        StringAssert.Contains(problem.ToString(), fragment);
        Assert.IsFalse(string.IsNullOrWhiteSpace(problem.Fix), "every problem names its fix");
        Assert.IsFalse(problem.ToString().Contains('\n'), "one line per problem");
        return problem;
    }
}
