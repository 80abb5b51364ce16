namespace Cli.Commands;

/// <summary>
/// <c>powerbi [--repo DIR]</c>: regenerates the Power BI semantic model's TMDL
/// (deploy/monitoring/powerbi/OrderIntegration.SemanticModel/definition) from deploy/monitoring/powerbi/semantic-model.json
/// and the KQL files. Run it after editing a KQL file or the manifest, then commit both; a test fails while they differ.
/// </summary>
public static class PowerBiCommand
{
    public static Task<int> RunAsync(CliArgs args)
    {
        var project = LogicAppProject.FromArgs(args);
        var changed = PowerBiSemanticModel.WriteAll(project.Root);
        foreach (var file in changed) Console.WriteLine($"wrote {PowerBiSemanticModel.DefinitionFolder}/{file}");
        Console.WriteLine(changed.Count == 0 ? "The semantic model already matches the KQL files." : $"{changed.Count} file(s) regenerated: review and commit them.");
        return Task.FromResult(0);
    }
}
