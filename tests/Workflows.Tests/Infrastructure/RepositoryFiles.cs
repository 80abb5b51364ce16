using LocalLogicApp.Hosting;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>Reads committed project files (paths relative to the folder holding OrderIntegration.sln).</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(() => ProjectRoot.Find());

    public static string Root => RootFolder.Value;

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static string ReadText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public static JObject ReadJson(string relativePath) => JObject.Parse(ReadText(relativePath));

    public static ArmTemplate MainTemplate() =>
        new(ReadJson("deploy/infra/main.json"), ReadJson(ServiceBusArmTopology.ParametersPath));
}
