using System.Text.RegularExpressions;

namespace Workflows.Tests.Infrastructure.Bicep;

/// <summary>One <c>#disable-next-line</c> in the Bicep: which diagnostic, in which file, on which line of code.</summary>
public sealed record BicepSuppression(string File, string Code, string SuppressedLine)
{
    public override string ToString() => $"{File}: #disable-next-line {Code} before '{SuppressedLine}'";
}

/// <summary>
/// Every diagnostic the Bicep is allowed to silence, each a gap in Microsoft's published resource types for a shape
/// Microsoft documents for Logic Apps Standard (sources in the comments beside each suppression). Anything else must
/// compile without a warning.
/// </summary>
public static partial class BicepSuppressions
{
    public static readonly IReadOnlyList<(string File, string Code, string LineStartsWith)> Allowed =
    [
        // SAS off for the Request trigger (Azure/bicep-types-az#2437).
        ("modules/logicapp.bicep", "BCP037", "logicAppsAccessControlConfiguration:"),
        // connectionRuntimeUrl of a V2 managed API connection.
        ("modules/logicapp.bicep", "BCP053", "twilio_connectionRuntimeUrl:"),
        ("modules/logicapp.bicep", "BCP053", "teams_connectionRuntimeUrl:"),
        // kind 'V2' of a managed API connection.
        ("modules/logicapp.bicep", "BCP187", "kind: 'V2'"),
        ("modules/logicapp.bicep", "BCP187", "kind: 'V2'"),
        // Microsoft.Web/connections/accessPolicies has no published types.
        ("modules/logicapp.bicep", "BCP081", "resource twilioAccess"),
        ("modules/logicapp.bicep", "BCP081", "resource teamsAccess"),
    ];

    /// <summary>The suppressions in one Bicep file's text (<paramref name="file"/> relative to deploy/infra).</summary>
    public static IReadOnlyList<BicepSuppression> Find(string file, string text)
    {
        var lines = text.Split('\n');
        var found = new List<BicepSuppression>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Suppression().Match(lines[i]);
            if (!match.Success) continue;
            var next = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
            foreach (var code in match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)) found.Add(new BicepSuppression(file, code, next));
        }
        return found;
    }

    /// <summary>Suppressions that are not in <see cref="Allowed"/> (each allowed entry matches once).</summary>
    public static IReadOnlyList<BicepSuppression> Unexpected(IEnumerable<BicepSuppression> suppressions)
    {
        var remaining = Allowed.ToList();
        var unexpected = new List<BicepSuppression>();
        foreach (var suppression in suppressions)
        {
            var index = remaining.FindIndex(a => a.File == suppression.File && a.Code == suppression.Code
                && suppression.SuppressedLine.StartsWith(a.LineStartsWith, StringComparison.Ordinal));
            if (index < 0) unexpected.Add(suppression);
            else remaining.RemoveAt(index);
        }
        return unexpected;
    }

    /// <summary>All suppressions under deploy/infra.</summary>
    public static IReadOnlyList<BicepSuppression> InRepository()
    {
        var root = RepositoryRoot.PathOf("deploy/infra");
        return Directory.EnumerateFiles(root, "*.bicep", SearchOption.AllDirectories).Order()
            .SelectMany(f => Find(Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(f)))
            .ToList();
    }

    [GeneratedRegex(@"^\s*#disable-next-line\s+(.+?)\s*$")]
    private static partial Regex Suppression();
}
