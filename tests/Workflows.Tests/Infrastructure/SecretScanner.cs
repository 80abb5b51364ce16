using System.Text.RegularExpressions;

namespace Workflows.Tests.Infrastructure;

/// <summary>Finds credential material written into files: storage and Service Bus keys, SAS signatures,
/// instrumentation keys, passwords given as literals.</summary>
public static partial class SecretScanner
{
    public static IReadOnlyList<string> Find(string text, string source) =>
        SecretPatterns().Matches(text)
            // In Bicep, `token: twilioAuthToken` names a (secure) parameter; a literal would be quoted: `token: 'abc...'`.
            .Where(m => !(source.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase) && BicepReference().IsMatch(m.Value)))
            .Select(m => $"{source}: '{m.Value}'").ToList();

    [GeneratedRegex(@"^[A-Za-z]+\s*:\s*[A-Za-z_]")]
    private static partial Regex BicepReference();

    // A key/secret followed by a literal value (not an ARM expression "[...]" nor a format placeholder "{0}").
    [GeneratedRegex(@"(AccountKey|SharedAccessKey|InstrumentationKey|sig|password|token)""?\s*[=:]\s*""?(?![\[{<]|""|\s|@Microsoft\.KeyVault)[A-Za-z0-9+/]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPatterns();
}
