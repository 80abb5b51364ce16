using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OrderEvents.CustomCode.Functions;

namespace OrderEvents.CustomCode.Tests.Host;

/// <summary>
/// The Logic Apps host project (<c>CustomCode/OrderEvents.Functions</c>) must expose every catalog function under the
/// same name with the same parameter names, since workflows bind InvokeFunction <c>parameters</c> by name, and
/// nothing else. It cannot be built here, so Roslyn reads its source.
/// </summary>
[TestClass]
public sealed class When_the_host_project_is_read_it_mirrors_the_function_catalog
{
    private static readonly IReadOnlyList<HostFunction> Host = HostProjectSource.Functions(HostProjectSource.Parse());

    [TestMethod]
    public void Every_catalog_function_has_exactly_one_host_entry_point_and_there_are_no_extra_ones()
    {
        var catalog = FunctionCatalog.All.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var host = Host.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var missing = catalog.Where(name => !host.ContainsKey(name)).OrderBy(n => n).ToList();
        var extra = host.Keys.Where(name => !catalog.Contains(name)).OrderBy(n => n).Select(n => $"{n} ({host[n][0].File})").ToList();
        var doubled = host.Where(h => h.Value.Count > 1).Select(h => $"{h.Key} ({string.Join(", ", h.Value.Select(f => f.File))})").ToList();

        var problems = new List<string>();
        if (missing.Count > 0) problems.Add($"missing in the host project: {string.Join(", ", missing)}");
        if (extra.Count > 0) problems.Add($"in the host project but not in the catalog: {string.Join(", ", extra)}");
        if (doubled.Count > 0) problems.Add($"declared more than once: {string.Join(", ", doubled)}");
        Assert.AreEqual(0, problems.Count, string.Join("; ", problems));
    }

    [TestMethod]
    public void Each_host_entry_point_takes_the_catalog_parameters_by_the_same_names_in_the_same_order_and_optionality()
    {
        var problems = new List<string>();
        foreach (var function in Host)
        {
            var descriptor = FunctionCatalog.Find(function.Name);
            if (descriptor is null || descriptor.Name != function.Name)
            {
                continue; // reported by the test above
            }
            var expected = descriptor.Parameters.Select(p => p.Name).ToArray();
            if (!expected.SequenceEqual(function.ParameterNames, StringComparer.Ordinal))
            {
                problems.Add($"{function.Name} ({function.File}) takes ({string.Join(", ", function.ParameterNames)}) but the catalog has ({string.Join(", ", expected)})");
                continue;
            }
            foreach (var (parameter, syntax) in descriptor.Parameters.Zip(function.Parameters))
            {
                if (parameter.IsOptional != (syntax.Default is not null))
                {
                    problems.Add($"{function.Name}: parameter '{parameter.Name}' is {(parameter.IsOptional ? "optional" : "required")} in the catalog but {(syntax.Default is null ? "required" : "optional")} in the host");
                }
            }
        }
        Assert.AreEqual(0, problems.Count, string.Join("; ", problems));
    }

    [TestMethod]
    public void The_workflow_action_trigger_attribute_is_on_the_first_parameter_only()
    {
        var problems = Host
            .Select(f => (f, Marked: f.Parameters.Select((p, i) => (i, Has: p.AttributeLists.SelectMany(l => l.Attributes).Any(a => HostProjectSource.IsNamed(a, "WorkflowActionTrigger"))))
                .Where(x => x.Has).Select(x => x.i).ToArray()))
            .Where(x => x.Marked.Length != 1 || x.Marked[0] != 0)
            .Select(x => $"{x.f.Name}: [WorkflowActionTrigger] on parameter(s) #{string.Join(", #", x.Marked)}")
            .ToList();

        Assert.AreEqual(0, problems.Count, string.Join("; ", problems));
    }

    [TestMethod]
    public void Each_entry_point_only_delegates_to_the_library_method_of_the_same_name_passing_its_parameters_by_position()
    {
        var problems = new List<string>();
        foreach (var function in Host)
        {
            var calls = function.Method.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Where(call => call.Expression is MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Functions" } } member
                               && member.Name.Identifier.ValueText == function.Name)
                .ToList();
            if (calls.Count != 1)
            {
                problems.Add($"{function.Name} ({function.File}) does not call CustomCodeStartup.Functions.{function.Name}(...) exactly once");
                continue;
            }
            var arguments = calls[0].ArgumentList.Arguments.Select(a => a.Expression.ToString()).ToArray();
            if (!arguments.SequenceEqual(function.ParameterNames, StringComparer.Ordinal))
            {
                problems.Add($"{function.Name} passes ({string.Join(", ", arguments)}) instead of its parameters ({string.Join(", ", function.ParameterNames)})");
            }
        }
        Assert.AreEqual(0, problems.Count, string.Join("; ", problems));
    }

    [TestMethod]
    public void The_host_project_follows_the_net8_custom_code_template_and_publishes_to_the_repository_root()
    {
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(HostProjectSource.Folder, "OrderEvents.Functions.csproj"));
        string? Property(string name) => project.Descendants(name).FirstOrDefault()?.Value;
        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include")).ToHashSet();

        Assert.AreEqual("net8", Property("TargetFramework"));
        Assert.AreEqual("v4", Property("AzureFunctionsVersion"));
        Assert.AreEqual("$(MSBuildProjectDirectory)/../..", Property("LogicAppFolderToPublish"));
        foreach (var package in new[] { "Microsoft.Azure.Workflows.Webjobs.Sdk", "Microsoft.Azure.Functions.Worker.Sdk", "Microsoft.Azure.Functions.Worker.Extensions.Abstractions" })
        {
            Assert.IsTrue(packages.Contains(package), $"{package} is missing");
        }
        Assert.IsTrue(project.Descendants("Target").Any(t => (string?)t.Attribute("AfterTargets") == "Build" && t.Descendants("CallTarget").Any(c => (string?)c.Attribute("Targets") == "Publish")),
            "the template's TriggerPublishOnBuild target (Build, then Publish into lib/custom) is missing");
        var solution = File.ReadAllText(RepositoryRoot.PathOf(RepositoryRoot.MarkerFile));
        Assert.IsFalse(solution.Contains("OrderEvents.Functions", StringComparison.Ordinal), "the host project cannot restore here and must stay out of OrderIntegration.sln");
    }

    [TestMethod]
    public void The_host_source_compiles_against_the_library_with_the_sdk_attributes_stubbed()
    {
        const string sdkStubs = """
            global using System;
            global using System.Collections.Generic;
            global using System.IO;
            global using System.Linq;
            global using System.Threading;
            global using System.Threading.Tasks;
            namespace Microsoft.Azure.Functions.Worker { [AttributeUsage(AttributeTargets.Method)] public sealed class FunctionAttribute(string name) : Attribute { public string Name { get; } = name; } }
            namespace Microsoft.Azure.Functions.Extensions.Workflows { [AttributeUsage(AttributeTargets.Parameter)] public sealed class WorkflowActionTriggerAttribute : Attribute { } }
            """;
        var trees = HostProjectSource.Parse().Append(CSharpSyntaxTree.ParseText(sdkStubs, new CSharpParseOptions(LanguageVersion.Latest), "SdkStubs.cs"));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(new[]
            {
                typeof(OrderEventFunctions).Assembly.Location,
                typeof(Newtonsoft.Json.Linq.JToken).Assembly.Location,
                typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location,
                typeof(Azure.Core.TokenCredential).Assembly.Location,
            })
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("OrderEvents.Functions.Check", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();

        Assert.AreEqual(0, errors.Count, string.Join(Environment.NewLine, errors));
    }
}
