using System.Text.RegularExpressions;
using Cli.Iac;
using Cli.Preflight.Iac;
using Newtonsoft.Json.Linq;

namespace Cli.Preflight.Settings;

/// <summary>
/// Key Vault references are written the way App Service resolves them (Learn, "Use Key Vault references as app
/// settings", Reference syntax: https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#reference-syntax):
/// <c>@Microsoft.KeyVault(SecretUri=https://&lt;vault&gt;.vault.azure.net/secrets/&lt;name&gt;[/&lt;version&gt;])</c> or
/// <c>@Microsoft.KeyVault(VaultName=&lt;vault&gt;;SecretName=&lt;name&gt;[;SecretVersion=&lt;version&gt;])</c>. A
/// reference with a syntax error is not resolved: the setting's value stays the literal reference text, and the
/// connection fails at run time. They resolve only in app settings, so one in connections.json, parameters.json or a
/// workflow is never resolved either. Vault and secret names follow Key Vault's naming rules
/// (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault).
/// </summary>
public static partial class KeyVaultReferences
{
    public const string Prefix = "@Microsoft.KeyVault(";

    [GeneratedRegex(@"^https://(?<vault>[^./]+)\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net|microsoftazure\.de)/secrets/(?<name>[^/]+)(/(?<version>[0-9a-fA-F]{32}))?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretUri();

    [GeneratedRegex(@"^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex VaultName();

    [GeneratedRegex(@"^[A-Za-z0-9-]{1,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretVersion();

    private const string Fix = "write @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/) or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>).";

    public static IReadOnlyList<PreflightProblem> Find(AppContent content, LogicAppSettingsInIac iac)
    {
        var problems = new List<PreflightProblem>();
        foreach (var (name, value) in iac.Settings)
        {
            if (value.Type != JTokenType.String) continue;
            var text = (string)value!;
            if (!text.Contains("@Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase)) continue;
            if (Check(text) is { } error)
                problems.Add(new PreflightProblem(iac.Source, $"the app setting '{name}' is not a valid Key Vault reference: {error} (value: {text}).", Fix));
        }
        var appFiles = new[] { "connections.json", "parameters.json" }.Where(content.Contains).Concat(content.WorkflowNames().Select(w => w + "/workflow.json"));
        foreach (var file in appFiles.Where(f => content.ReadText(f).Contains("@Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add(new PreflightProblem(file, "holds a Key Vault reference; only app settings resolve them, so it would stay literal text.",
                "put the reference in an app setting in the IaC and read it here with @appsetting('<name>')."));
        }
        return problems;
    }

    /// <summary>Why the reference is malformed, or null. Parts only Azure knows (⟪...⟫, e.g. reference(...).secretUri) are taken as valid.</summary>
    public static string? Check(string value)
    {
        if (!value.StartsWith(Prefix, StringComparison.Ordinal) || !value.EndsWith(')'))
            return $"the whole value must be {Prefix}...) with that casing";
        var body = value[Prefix.Length..^1];
        var pairs = body.Split(';');
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) return $"'{pair}' is not Name=value";
            var key = pair[..eq];
            if (key is not ("SecretUri" or "VaultName" or "SecretName" or "SecretVersion")) return $"'{key}' is not SecretUri, VaultName, SecretName or SecretVersion";
            if (!parts.TryAdd(key, pair[(eq + 1)..])) return $"'{key}' is given twice";
        }
        bool Known(string part) => !part.Contains(ArmTemplate.SymbolStart, StringComparison.Ordinal);
        if (parts.TryGetValue("SecretUri", out var uri))
        {
            if (parts.Count > 1) return "SecretUri stands alone";
            if (Known(uri) && !SecretUri().IsMatch(uri)) return $"SecretUri '{uri}' is not https://<vault>.vault.azure.net/secrets/<name>[/<version>]";
            return null;
        }
        if (!parts.TryGetValue("VaultName", out var vault)) return "VaultName (or SecretUri) is required";
        if (!parts.TryGetValue("SecretName", out var secret)) return "SecretName is required with VaultName";
        if (Known(vault) && !VaultName().IsMatch(vault)) return $"VaultName '{vault}' breaks Key Vault's naming rules (3-24 letters, digits and single hyphens, starting with a letter)";
        if (Known(secret) && !SecretName().IsMatch(secret)) return $"SecretName '{secret}' breaks Key Vault's naming rules (1-127 letters, digits and hyphens)";
        if (parts.TryGetValue("SecretVersion", out var version) && Known(version) && !SecretVersion().IsMatch(version)) return $"SecretVersion '{version}' is not a 32-digit hexadecimal version";
        return null;
    }
}
