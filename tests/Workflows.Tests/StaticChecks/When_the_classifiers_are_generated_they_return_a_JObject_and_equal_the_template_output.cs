using System.Text.RegularExpressions;
using Cli.Commands;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// Issue 9 finding 8: the classifier returns a <c>JObject</c> whose property names are written out, because how the
/// Logic Apps runtime cases the properties of a returned C# object is not documented and the workflows read
/// <c>body('Classify_outcome')?['outcome']</c>. And the scripts are the template's output (drift check).
/// </summary>
[TestClass]
public sealed class When_the_classifiers_are_generated_they_return_a_JObject_and_equal_the_template_output
{
    private static readonly Regex RunSignature = new(@"public\s+static\s+async\s+Task<(?<type>[A-Za-z.]+)>\s+Run\s*\(", RegexOptions.CultureInvariant);

    internal static IReadOnlyList<string> Find(string root)
    {
        var problems = new List<string>();
        foreach (var script in Directory.EnumerateFiles(Path.Combine(root, "workflows"), "*.csx", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(script);
            var type = RunSignature.Match(text).Groups["type"].Value;
            if (type != "JObject") problems.Add($"{Path.GetRelativePath(root, script)}: Run returns {(type.Length == 0 ? "no Task<...>" : type)}, not a JObject with written-out property names.");
        }
        problems.AddRange(ClassifyOutcomeScripts.FindStale(LogicAppProject.Locate(root))
            .Select(w => $"workflows/{w}/{ClassifyOutcomeScripts.ScriptName} differs from {ClassifyOutcomeScripts.TemplateFile}: edit the template or {ClassifyOutcomeScripts.RulesFolder}/{w}.csx and run the designer verb"));
        return problems;
    }

    [TestMethod]
    public void The_committed_classifiers_return_a_JObject_and_are_current() => Problems.AssertNone(Find(RepositoryRoot.FullPath));

    [TestMethod]
    public void A_generated_script_for_each_subscriber()
    {
        var generated = ClassifyOutcomeScripts.Generate(LogicAppProject.Locate(RepositoryRoot.FullPath));
        CollectionAssert.AreEquivalent(new[] { "SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive" }, generated.Select(g => g.Workflow).ToArray());
        Assert.IsFalse(generated.Any(g => g.Text.Contains("{{", StringComparison.Ordinal)), "a placeholder was left unreplaced");
    }

    [TestMethod]
    public void A_classifier_returning_a_CSharp_class_is_reported()
    {
        using var fixture = new DefectFixture();
        var path = Path.Combine(fixture.Root, "workflows/SmsNotification/classify_outcome.csx");
        File.WriteAllText(path, File.ReadAllText(path).Replace("public static async Task<JObject> Run(", "public static async Task<Classification> Run("));
        var problems = Find(fixture.Root);
        Problems.AssertReported(problems, "workflows/SmsNotification/classify_outcome.csx: Run returns Classification");
        Problems.AssertReported(problems, "workflows/SmsNotification/classify_outcome.csx differs from");
    }
}
