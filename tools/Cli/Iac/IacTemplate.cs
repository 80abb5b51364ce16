using Cli.Commands;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cli.Iac;

/// <summary>
/// The infrastructure as code as Azure Resource Manager receives it: <c>deploy/infra/main.bicep</c> compiled by the
/// Bicep CLI (<see cref="BicepCli"/>), Microsoft's own compiler, never a parser of ours, with the deployment's
/// parameter values.
/// </summary>
public sealed class IacTemplate
{
    public const string BicepEntryPoint = "deploy/infra/main.bicep";

    private IacTemplate(string source, JObject template, IReadOnlyDictionary<string, JToken> parameters)
    {
        Source = source;
        Template = template;
        Parameters = parameters;
    }

    /// <summary>The repository path of the template the checks read, for messages.</summary>
    public string Source { get; }

    public JObject Template { get; }

    public IReadOnlyDictionary<string, JToken> Parameters { get; }

    /// <summary>The repository's IaC entry point, <see cref="BicepEntryPoint"/>.</summary>
    /// <param name="parametersFile">A deployment parameters file (<c>.json</c>, or <c>.bicepparam</c> compiled with
    /// <c>bicep build-params</c>), as the pipeline passes to <c>az deployment group create</c>; without it, defaults.</param>
    public static IacTemplate Load(LogicAppProject project, string? parametersFile = null)
    {
        if (!File.Exists(project.PathOf(BicepEntryPoint))) throw new CliUsageException($"No infrastructure as code: {BicepEntryPoint} does not exist under {project.Root}.");
        return FromFile(project.PathOf(BicepEntryPoint), parametersFile, BicepEntryPoint);
    }

    /// <summary>A template file: <c>.bicep</c> is compiled with the Bicep CLI, anything else is read as an ARM (compiled) template.</summary>
    public static IacTemplate FromFile(string path, string? parametersFile = null, string? displayName = null)
    {
        if (!File.Exists(path)) throw new CliUsageException($"The template '{path}' does not exist.");
        var source = displayName ?? path;
        var template = path.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase)
            ? BicepCli.Build(path).TemplateOrThrow(source)
            : ParseObject(File.ReadAllText(path), source, "the template");
        var parameters = parametersFile is null ? new Dictionary<string, JToken>() : ReadParameters(parametersFile);
        return new IacTemplate(source, template, parameters);
    }

    /// <summary>The template ready to evaluate, with the parameter values; what only Azure knows becomes a symbol.</summary>
    public ArmTemplate Evaluator() => new(Template, Parameters, UnknownExpressions.BecomeSymbols);

    private static IReadOnlyDictionary<string, JToken> ReadParameters(string file)
    {
        if (!File.Exists(file)) throw new CliUsageException($"--iac-parameters: '{file}' does not exist.");
        var json = file.EndsWith(".bicepparam", StringComparison.OrdinalIgnoreCase) ? BicepCli.BuildParameters(file) : ParseObject(File.ReadAllText(file), file, "the parameters file");
        // A parameters file holds its values under "parameters" (https://learn.microsoft.com/azure/azure-resource-manager/templates/parameter-files,
        // "Parameter file"); without one, the file given is something else (a template, say) and no value would be read from it.
        if (json["parameters"] is not JObject parameters)
            throw new CliUsageException($"--iac-parameters: {file} has no \"parameters\" object; a deployment parameters file holds {{ \"parameters\": {{ \"NAME\": {{ \"value\": ... }} }} }}.");
        return parameters
            .Properties()
            .Where(p => p.Value["value"] is not null)
            .ToDictionary(p => p.Name, p => p.Value["value"]!, StringComparer.OrdinalIgnoreCase);
    }

    private static JObject ParseObject(string text, string source, string what)
    {
        try
        {
            return JToken.Parse(text) as JObject ?? throw new JsonReaderException("not a JSON object");
        }
        catch (JsonReaderException ex)
        {
            throw new CliUsageException($"{source}: {what} is not readable JSON ({ex.Message}).");
        }
    }
}
