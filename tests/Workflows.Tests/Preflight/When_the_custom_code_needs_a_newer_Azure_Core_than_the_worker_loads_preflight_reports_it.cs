using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Workflows.Tests.Preflight;

/// <summary>
/// The Logic Apps .NET 8 custom-code worker loads its own Azure.Core 1.37.0 (Azure/logicapps#1146); custom code
/// built against a newer one fails with FileLoadException. Read from the build output's deps.json and from the
/// assemblies' metadata: the test compiles tiny stand-in assemblies with Roslyn (not the real Azure SDK).
/// </summary>
[TestClass]
public sealed class When_the_custom_code_needs_a_newer_Azure_Core_than_the_worker_loads_preflight_reports_it
{
    private static string DepsJson(string azureCore, string storageCommonNeeds) => $$"""
        {
          "runtimeTarget": { "name": ".NETCoreApp,Version=v8.0" },
          "targets": {
            ".NETCoreApp,Version=v8.0": {
              "OrderEvents.Functions/1.0.0": { "dependencies": { "OrderEvents.CustomCode": "1.0.0" } },
              "Azure.Storage.Common/12.20.1": { "dependencies": { "Azure.Core": "{{storageCommonNeeds}}" } },
              "Azure.Core/{{azureCore}}": { "runtime": { "lib/net6.0/Azure.Core.dll": { "assemblyVersion": "{{azureCore}}.0" } } }
            }
          },
          "libraries": {}
        }
        """;

    [TestMethod]
    public void Deps_json_with_Azure_Core_1_37_passes()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.WriteText("lib/custom/net8/OrderEvents.Functions.deps.json", DepsJson("1.37.0", "1.37.0"));
        PreflightAssert.None(fixture.Problems());
    }

    [TestMethod]
    public void Deps_json_shipping_a_newer_Azure_Core_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.WriteText("lib/custom/net8/OrderEvents.Functions.deps.json", DepsJson("1.64.0", "1.37.0"));
        PreflightAssert.Single(fixture.Problems(), "lib/custom/net8/OrderEvents.Functions.deps.json", "ships Azure.Core 1.64.0");
    }

    [TestMethod]
    public void A_package_that_needs_a_newer_Azure_Core_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.WriteText("lib/custom/net8/OrderEvents.Functions.deps.json", DepsJson("1.37.0", "1.41.0"));
        PreflightAssert.Single(fixture.Problems(), "lib/custom/net8/OrderEvents.Functions.deps.json", "Azure.Storage.Common/12.20.1 needs Azure.Core 1.41.0");
    }

    [TestMethod]
    public void An_Azure_Core_assembly_newer_than_the_worker_s_is_reported()
    {
        using var fixture = new PreflightFixture();
        File.WriteAllBytes(Path.Combine(fixture.Root, "lib/custom/net8/Azure.Core.dll"), Compile("Azure.Core", "1.64.0.0"));
        PreflightAssert.Single(fixture.Problems(), "lib/custom/net8/Azure.Core.dll", "is Azure.Core 1.64.0.0");
    }

    [TestMethod]
    public void An_assembly_built_against_a_newer_Azure_Core_is_reported()
    {
        using var fixture = new PreflightFixture();
        var azureCore = Compile("Azure.Core", "1.64.0.0");
        File.WriteAllBytes(Path.Combine(fixture.Root, "lib/custom/net8/OrderEvents.CustomCode.dll"), Compile("OrderEvents.CustomCode", "1.0.0.0", azureCore));
        PreflightAssert.Single(fixture.Problems(), "lib/custom/net8/OrderEvents.CustomCode.dll", "(OrderEvents.CustomCode) is built against Azure.Core 1.64.0.0");
    }

    [TestMethod]
    public void Assemblies_built_against_Azure_Core_1_37_pass()
    {
        using var fixture = new PreflightFixture();
        var azureCore = Compile("Azure.Core", "1.37.0.0");
        File.WriteAllBytes(Path.Combine(fixture.Root, "lib/custom/net8/Azure.Core.dll"), azureCore);
        File.WriteAllBytes(Path.Combine(fixture.Root, "lib/custom/net8/OrderEvents.CustomCode.dll"), Compile("OrderEvents.CustomCode", "1.0.0.0", azureCore));
        PreflightAssert.None(fixture.Problems());
    }

    /// <summary>A tiny assembly with the given identity; with <paramref name="reference"/>, one that uses a type of it (so the reference is kept).</summary>
    private static byte[] Compile(string name, string version, byte[]? reference = null)
    {
        var source = reference is null
            ? $"[assembly: System.Reflection.AssemblyVersion(\"{version}\")] namespace Azure {{ public class Response {{ }} }}"
            : $"[assembly: System.Reflection.AssemblyVersion(\"{version}\")] namespace Stand.In {{ public class UsesAzure {{ public Azure.Response? Last; }} }}";
        var references = new List<MetadataReference> { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        foreach (var file in new[] { "System.Runtime.dll", "netstandard.dll" })
        {
            var path = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, file);
            if (File.Exists(path)) references.Add(MetadataReference.CreateFromFile(path));
        }
        if (reference is not null) references.Add(MetadataReference.CreateFromImage(reference));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.IsTrue(result.Success, string.Join("\n", result.Diagnostics));
        return image.ToArray();
    }
}
