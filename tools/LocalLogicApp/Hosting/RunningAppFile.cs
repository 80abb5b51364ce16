using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Hosting;

/// <summary>
/// <c>.local/running-app.json</c>: written by <c>run</c> while it serves, so <c>send</c> finds the intake
/// without being told (and removed when <c>run</c> stops).
/// </summary>
public static class RunningAppFile
{
    public const string FileName = "running-app.json";

    public static string PathIn(string root) => Path.Combine(ProjectRoot.LocalStateFolder(root), FileName);

    public static void Write(string root, Uri intakeUrl, int processId)
    {
        Directory.CreateDirectory(ProjectRoot.LocalStateFolder(root));
        File.WriteAllText(PathIn(root), new JObject { ["intakeUrl"] = intakeUrl.ToString(), ["processId"] = processId }.ToString(Formatting.Indented));
    }

    public static Uri? ReadIntakeUrl(string root)
    {
        var file = PathIn(root);
        if (!File.Exists(file)) return null;
        try
        {
            var text = JObject.Parse(File.ReadAllText(file)).Value<string>("intakeUrl");
            return Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Delete(string root)
    {
        try { File.Delete(PathIn(root)); } catch (IOException) { }
    }
}
