using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// Secrets live in Key Vault and app settings, never in the repository. The one secret scan of the tests: every
/// source and configuration file, and everything under <c>deploy/</c>, for connection-string keys, tokens and private
/// keys; every JSON property that names a secret for a literal value (allowed: empty, an expression such as
/// <c>@appsetting('x')</c>, or a "(placeholder)"); and in deployment files (IaC, templates, queries) a password,
/// token, signature or instrumentation key written as a literal (<c>password: 'x'</c>; in code such a pattern is an
/// ordinary identifier). Allowed on purpose: <c>UseDevelopmentStorage=true</c> and Azurite's published development
/// account key.
/// </summary>
internal static partial class SecretScan
{
    private static readonly HashSet<string> SkippedFolders = ["bin", "obj", ".git", "node_modules", ".build", ".local", "TestResults", "__blobstorage__", "__queuestorage__"];
    private static readonly HashSet<string> ScannedExtensions = [".json", ".csx", ".cs", ".md", ".sh", ".yml", ".yaml", ".props", ".csproj", ".xml", ".txt", ".ps1", ".bicep", ".env", ".config", ""];
    // Azurite's well-known development key (published in Microsoft's docs): not a secret.
    private const string AzuriteDevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly (string What, Regex Pattern)[] TextPatterns =
    [
        ("a Shared Access key", new Regex(@"SharedAccessKey\s*=\s*(?!<|\{|SAS_KEY_VALUE)[^;""'\s]{8,}", RegexOptions.IgnoreCase)),
        ("a storage account key", new Regex(@"AccountKey\s*=\s*(?!<|\{)(?<key>[^;""'\s]{8,})", RegexOptions.IgnoreCase)),
        ("a SAS signature", new Regex(@"[?&]sig=[A-Za-z0-9%+/=]{16,}")),
        ("a bearer token", new Regex(@"Bearer\s+[A-Za-z0-9\-_=]{20,}\.[A-Za-z0-9\-_=]{10,}")),
        ("a JSON web token", new Regex(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.")),
        ("a private key", new Regex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
        ("a Twilio auth token", new Regex(@"(?i)twilio[^\n]{0,40}(auth)?token[""']?\s*[:=]\s*[""']?[0-9a-f]{32}")),
    ];

    private static readonly Regex SecretPropertyName = new(@"(?i)(password|passwd|secret|apikey|api_key|accesskey|authtoken|connectionstring|sasToken|^token)$");

    public const string DeploymentFolder = "deploy";

    /// <summary>The repository below <paramref name="root"/>, or only its <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> Find(string root, string? folder = null)
    {
        var problems = new List<string>();
        foreach (var file in Files(root, folder is null ? root : Path.Combine(root, folder)))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            problems.AddRange(FindInText(File.ReadAllText(file), relative, IsDeploymentFile(relative)));
        }
        return problems;
    }

    /// <summary>The secrets in one file's text; <paramref name="source"/> names it in the findings (and a <c>.json</c>
    /// or <c>.bicep</c> ending selects the JSON and Bicep rules).</summary>
    public static IReadOnlyList<string> FindInText(string text, string source, bool deploymentFile)
    {
        var problems = new List<string>();
        var found = new List<(int Start, int End)>();
        foreach (var (what, pattern) in TextPatterns)
        {
            foreach (Match match in pattern.Matches(text))
            {
                if (match.Groups["key"].Success && match.Groups["key"].Value == AzuriteDevelopmentKey) continue;
                problems.Add($"{source}: line {LineOf(text, match.Index)} holds {what}.");
                found.Add((match.Index, match.Index + match.Length));
            }
        }
        if (deploymentFile)
        {
            foreach (Match match in LiteralSecret().Matches(text))
            {
                if (found.Any(f => match.Index < f.End && f.Start < match.Index + match.Length)) continue;
                // In Bicep, `token: twilioAuthToken` names a (secure) parameter; a literal is quoted: `token: 'abc...'`.
                if (source.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase) && BicepReference().IsMatch(match.Value)) continue;
                problems.Add($"{source}: line {LineOf(text, match.Index)} holds a literal {match.Groups["name"].Value.ToLowerInvariant()}.");
            }
        }
        if (source.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) ScanJson(source, text, problems);
        return problems;
    }

    private static bool IsDeploymentFile(string relative) => relative.StartsWith(DeploymentFolder + "/", StringComparison.Ordinal);

    // A password, token, signature or instrumentation key followed by a literal value, quoted or not (not an ARM
    // expression "[...]", an interpolation "${...}", a placeholder "{0}" or "<...>", an empty string, or a Key Vault reference).
    [GeneratedRegex(@"(?<name>InstrumentationKey|sig|password|token)[""']?\s*[=:]\s*[""']?(?![\[{<$]|[""']|\s|@Microsoft\.KeyVault)[A-Za-z0-9+/]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex LiteralSecret();

    // In Bicep an unquoted value is a reference (a parameter, a variable): 'sap-password': sapPassword.
    [GeneratedRegex(@"^[A-Za-z]+[""']?\s*[=:]\s*[A-Za-z_]")]
    private static partial Regex BicepReference();

    private static void ScanJson(string relative, string text, List<string> problems)
    {
        JToken json;
        try { json = JToken.Parse(text); }
        catch (Newtonsoft.Json.JsonException) { return; }
        foreach (var property in json.SelectTokens("..*").OfType<JToken>().Select(t => t.Parent).OfType<JProperty>().Distinct())
        {
            if (!SecretPropertyName.IsMatch(property.Name) || property.Value.Type != JTokenType.String) continue;
            var value = (string)property.Value!;
            if (value.Length == 0 || value.StartsWith('@') || (value.StartsWith('(') && value.EndsWith(')')) || IsArmExpression(value)) continue;
            problems.Add($"{relative}: {property.Path} holds a literal secret value (use an app setting / Key Vault reference).");
        }
    }

    /// <summary>An ARM template expression (<c>[...]</c>, but not the <c>[[</c> escape of a literal) is filled in
    /// at deployment, e.g. from a Key Vault reference or listKeys(): it is not a committed value.</summary>
    private static bool IsArmExpression(string value) =>
        value.Length > 2 && value[0] == '[' && value[1] != '[' && value[^1] == ']';

    /// <summary>Source and configuration files by their ending, and every file of the deployment folder.</summary>
    private static IEnumerable<string> Files(string root, string start)
    {
        var deployment = Path.Combine(root, DeploymentFolder) + Path.DirectorySeparatorChar;
        var pending = new Stack<string>([start]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var sub in Directory.GetDirectories(directory).Where(d => !SkippedFolders.Contains(Path.GetFileName(d)) && new DirectoryInfo(d).LinkTarget is null))
                pending.Push(sub);
            foreach (var file in Directory.GetFiles(directory).Where(f => (ScannedExtensions.Contains(Path.GetExtension(f)) || f.StartsWith(deployment, StringComparison.Ordinal)) && new FileInfo(f).Length < 2_000_000))
                yield return file;
        }
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;
}

[TestClass]
public sealed class When_files_are_committed_none_holds_a_secret
{
    [TestMethod]
    public void No_file_of_the_repository_holds_a_key_token_or_literal_password() =>
        Problems.AssertNone(SecretScan.Find(RepositoryRoot.FullPath));

    [TestMethod]
    public void A_Service_Bus_connection_string_with_its_key_is_reported()
    {
        using var fixture = new DefectFixture().WriteText("deploy/notes.md",
            "Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=Root;" + "SharedAccess" + "Key=q1w2e3r4t5y6u7i8o9p0asdfghjklzxcvbnm=");
        Problems.AssertReported(SecretScan.Find(fixture.Root), "deploy/notes.md: line 1 holds a Shared Access key");
    }

    [TestMethod]
    public void A_literal_SAP_password_in_connections_json_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("connections.json", c => c["serviceProviderConnections"]!["sap"]!["parameterValues"]!["password"] = "Welcome1!");
        Problems.AssertReported(SecretScan.Find(fixture.Root), "connections.json: serviceProviderConnections.sap.parameterValues.password holds a literal secret");
    }

    [TestMethod]
    public void A_literal_password_in_the_infrastructure_as_code_is_reported_and_a_parameter_is_not()
    {
        using var fixture = new DefectFixture().WriteText("deploy/infra/modules/extra.bicep",
            "param sapPassword string\nvar logon = {\n  password: sapPassword\n  fallback: {\n    password: 'Welcome12345'\n  }\n}\n");
        var problems = SecretScan.Find(fixture.Root);
        Problems.AssertReported(problems, "deploy/infra/modules/extra.bicep: line 5 holds a literal password");
        Assert.IsFalse(problems.Any(p => p.Contains("extra.bicep: line 3", StringComparison.Ordinal)), string.Join("\n", problems));
    }

    [TestMethod]
    public void Development_storage_and_app_setting_references_are_allowed()
    {
        using var fixture = new DefectFixture().WriteText("deploy/local.json",
            "{ \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\", \"password\": \"@appsetting('sap_password')\", \"clientSecret\": \"\" }");
        Problems.AssertNone(SecretScan.Find(fixture.Root));
    }
}
