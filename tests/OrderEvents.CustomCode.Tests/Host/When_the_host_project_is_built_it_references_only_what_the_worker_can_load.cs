using System.Xml.Linq;

namespace OrderEvents.CustomCode.Tests.Host;

/// <summary>
/// The .NET 8 custom-code worker loads its own copies of common assemblies (Microsoft's list: Azure/logicapps
/// articles/worker-packages-dependencies-custom-code.pdf; Azure.Core 1.37.0, Microsoft.Extensions.DependencyInjection
/// 6.0.0 and older), and custom code built against a newer copy fails to load (Azure/logicapps#1146). So the host
/// project references the packages of Microsoft's net8 template (LogicAppsUX FunctionsProjNet8) and the library, and
/// nothing else: no dependency-injection container of its own.
/// </summary>
[TestClass]
public sealed class When_the_host_project_is_built_it_references_only_what_the_worker_can_load
{
    private static readonly string[] TemplatePackages =
    [
        "Microsoft.Azure.Functions.Worker.Extensions.Abstractions",
        "Microsoft.Azure.Functions.Worker.Sdk",
        "Microsoft.Azure.Workflows.Webjobs.Sdk",
        "Microsoft.Extensions.Logging",
    ];

    [TestMethod]
    public void Its_package_references_are_the_templates()
    {
        var project = XDocument.Load(RepositoryRoot.PathOf("CustomCode/OrderEvents.Functions/OrderEvents.Functions.csproj"));
        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include")).Order().ToArray();

        CollectionAssert.AreEqual(TemplatePackages, packages);
    }

    [TestMethod]
    public void Its_source_uses_no_dependency_injection_container()
    {
        var uses = HostProjectSource.Parse()
            .Where(tree => tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.UsingDirectiveSyntax>()
                .Any(u => u.Name?.ToString().StartsWith("Microsoft.Extensions.DependencyInjection", StringComparison.Ordinal) == true))
            .Select(tree => Path.GetFileName(tree.FilePath)).ToList();

        Assert.IsEmpty(uses, string.Join(", ", uses));
    }
}
