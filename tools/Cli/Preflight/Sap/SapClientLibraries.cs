using Newtonsoft.Json.Linq;

namespace Cli.Preflight.Sap;

/// <summary>
/// The SAP built-in connector on Standard needs the SAP .NET Connector (NCo) 3.1 client libraries deployed with the
/// app in <c>lib/builtinOperationSdks/net472</c>. Learn, "Connect to SAP from workflows in Azure Logic Apps":
/// section "SAP NCo client library prerequisites" (Standard: rscp4n.dll, sapnco.dll, sapnco_utils.dll, NCo 3.1 for
/// .NET Framework 4.6.2) and "Azure Logic Apps environment prerequisites", Standard tab (the folders lib &gt;
/// builtinOperationSdks &gt; net472 under site/wwwroot). https://learn.microsoft.com/azure/logic-apps/connectors/sap#single-tenant-prerequisites
/// The libraries are SAP's and not redistributable: they never enter the repository; CI takes them from a secure
/// location and <c>package --sap-nco DIR</c> places them.
/// </summary>
public static class SapClientLibraries
{
    public const string Folder = "lib/builtinOperationSdks/net472";
    public const string ServiceProviderId = "/serviceProviders/sap";
    public static readonly IReadOnlyList<string> Required = ["rscp4n.dll", "sapnco.dll", "sapnco_utils.dll"];

    public static readonly string Fix =
        $"package with --sap-nco DIR, DIR holding SAP NCo 3.1 ({string.Join(", ", Required)}) from SAP's download; for an environment without SAP, --allow-missing-sap.";

    /// <summary>The workflows that call the SAP built-in connector.</summary>
    public static IReadOnlyList<string> UsedBy(IEnumerable<(string Name, JObject Workflow)> workflows) =>
        workflows.Where(w => w.Workflow.SelectTokens("$..serviceProviderId").Any(id =>
                id.Type == JTokenType.String && string.Equals((string?)id, ServiceProviderId, StringComparison.OrdinalIgnoreCase)))
            .Select(w => w.Name)
            .ToArray();

    /// <summary>The required libraries the content lacks (file names; the platform's file system is case-insensitive).</summary>
    public static IReadOnlyList<string> Missing(AppContent content)
    {
        var present = content.Under(Folder).Select(p => p[(Folder.Length + 1)..]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Required.Where(r => !present.Contains(r)).ToArray();
    }

    public static IReadOnlyList<PreflightProblem> Find(AppContent content, IEnumerable<(string Name, JObject Workflow)> workflows)
    {
        var users = UsedBy(workflows);
        if (users.Count == 0) return [];
        return Missing(content)
            .Select(file => new PreflightProblem($"{Folder}/{file}",
                $"is missing: {string.Join(", ", users)} call(s) the SAP built-in connector, which fails on every call without the SAP NCo 3.1 client libraries.", Fix))
            .ToArray();
    }

    /// <summary>
    /// The NCo files of a folder the user names (<c>--sap-nco DIR</c>), as app-root path → file. The three required
    /// libraries must be there; other .dll/.exe files at the top of the folder (the SNC CommonCryptoLib files
    /// sapcrypto.dll, sapgenpse.exe, slcryptokernal.dll, when SNC is used) go along.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FromFolder(string directory)
    {
        if (!Directory.Exists(directory)) throw new CliUsageException($"--sap-nco: the folder '{directory}' does not exist.");
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => Path.GetFileName(f), f => f, StringComparer.OrdinalIgnoreCase);
        var missing = Required.Where(r => !files.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
        {
            throw new CliUsageException($"--sap-nco: '{directory}' lacks {string.Join(", ", missing)} (SAP NCo 3.1 needs {string.Join(", ", Required)}).");
        }
        return files.OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(f => $"{Folder}/{f.Key}", f => f.Value);
    }
}
