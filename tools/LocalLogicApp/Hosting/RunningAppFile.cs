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

    public static void Write(string root, Uri intakeUrl, int processId, string? serviceBusConnectionString = null)
    {
        Directory.CreateDirectory(ProjectRoot.LocalStateFolder(root));
        var file = new JObject { ["intakeUrl"] = intakeUrl.ToString(), ["processId"] = processId };
        // The emulator connection string holds no secret (its key is the emulator's public placeholder).
        if (serviceBusConnectionString is not null) file["serviceBusConnectionString"] = serviceBusConnectionString;
        File.WriteAllText(PathIn(root), file.ToString(Formatting.Indented));
    }

    /// <summary>The running app's broker endpoint, or null when no app runs (or it serves no AMQP endpoint).</summary>
    public static string? ReadServiceBusConnectionString(string root)
    {
        var file = PathIn(root);
        if (!File.Exists(file)) return null;
        try
        {
            var json = JObject.Parse(File.ReadAllText(file));
            return json.Value<int?>("processId") is int pid && IsAlive(pid) ? json.Value<string>("serviceBusConnectionString") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
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
