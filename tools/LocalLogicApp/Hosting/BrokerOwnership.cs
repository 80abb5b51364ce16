using System.Diagnostics;
using System.Globalization;

namespace LocalLogicApp.Hosting;

/// <summary>
/// One process at a time owns a state folder's broker database: opening it means a restart for the broker (locks
/// are dropped, delivery counts go up), so an operator tool must not open it under a running app. The host writes
/// <c>broker.owner</c> (its process id) while it runs; tools refuse while that process is alive.
/// </summary>
public static class BrokerOwnership
{
    public const string FileName = "broker.owner";

    public static void Claim(string stateFolder) =>
        File.WriteAllText(Path.Combine(stateFolder, FileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public static void Release(string stateFolder)
    {
        var file = Path.Combine(stateFolder, FileName);
        if (OwnerProcessId(stateFolder) == Environment.ProcessId) File.Delete(file);
    }

    /// <summary>The id of another live process that owns the folder's broker, or null.</summary>
    public static int? LiveOtherOwner(string stateFolder)
    {
        if (OwnerProcessId(stateFolder) is not int pid || pid == Environment.ProcessId) return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : pid;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static int? OwnerProcessId(string stateFolder)
    {
        var file = Path.Combine(stateFolder, FileName);
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
