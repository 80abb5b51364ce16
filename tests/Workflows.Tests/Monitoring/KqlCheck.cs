using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Monitoring;

/// <summary>
/// A deliberately small KQL reader for the dashboard queries: it strips comments and string literals, then
/// requires every name to be a documented table or column, a KQL word of the allow-list, a member of a documented
/// dynamic column, or a name the query itself defines (<c>let x =</c>, <c>extend x =</c>, <c>by x =</c>, ...).
/// Tracked-property members must exist in some workflow's <c>trackedProperties</c>; workflow and action names
/// compared in the query (<c>actionName) == "..."</c>, <c>actionName) in ("...", ...)</c>, <c>operation_Name == "..."</c>)
/// must exist in the workflows. A <c>datatable(name: type, ...)</c> defines its columns.
/// </summary>
public sealed partial class KqlCheck(JObject schema, IReadOnlySet<string> trackedProperties, IReadOnlySet<string> workflows, IReadOnlySet<string> actions)
{
    private const string TrackedPropertiesMarker = "*workflow trackedProperties*";

    public IReadOnlyList<string> Problems(string kql, string source)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(StripComments(kql))) return [$"{source}: the query is empty."];

        var comparedActions = ComparedActionName().Matches(kql).Select(m => m.Groups[1].Value)
            .Concat(ActionNameList().Matches(kql).SelectMany(m => QuotedName().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value)));
        foreach (var action in comparedActions)
        {
            if (!actions.Contains(action)) problems.Add($"{source}: no workflow has an action '{action}'.");
        }
        foreach (Match m in ComparedWorkflowName().Matches(kql))
        {
            if (!workflows.Contains(m.Groups[1].Value)) problems.Add($"{source}: there is no workflow '{m.Groups[1].Value}'.");
        }

        var code = StringLiteral().Replace(BracketMember().Replace(StripComments(kql), ".$1"), " \"\" ");
        code = code.Replace("mv-expand", "mv_expand", StringComparison.Ordinal)
                   .Replace("project-away", "project_away", StringComparison.Ordinal)
                   .Replace("project-rename", "project_rename", StringComparison.Ordinal);

        var tables = ((JObject)schema["tables"]!).Properties().ToDictionary(p => p.Name, p => p.Value.Select(c => (string)c!).ToHashSet(StringComparer.Ordinal));
        var columns = tables.Values.SelectMany(c => c).ToHashSet(StringComparer.Ordinal);
        var vocabulary = schema["kqlVocabulary"]!.Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);
        var dynamicMembers = (JObject)schema["dynamicMembers"]!;
        var defined = Definition().Matches(code).Concat(TypedColumn().Matches(code)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        foreach (Match token in Name().Matches(code))
        {
            var name = token.Groups["name"].Value;
            var member = token.Groups["member"];
            if (token.Groups["dot"].Success)
            {
                continue; // members are checked with their owner below
            }
            if (!tables.ContainsKey(name) && !columns.Contains(name) && !vocabulary.Contains(name) && !defined.Contains(name))
            {
                problems.Add($"{source}: '{name}' is not a documented table, column or KQL word, and the query doesn't define it.");
            }
            foreach (Capture capture in member.Captures)
            {
                var allowed = dynamicMembers[name];
                if (allowed is null)
                {
                    problems.Add($"{source}: '{name}.{capture.Value}' reads a member of '{name}', which is not a documented dynamic column.");
                    break;
                }
                var ok = allowed.Type == JTokenType.String && (string)allowed! == TrackedPropertiesMarker
                    ? trackedProperties.Contains(capture.Value)
                    : allowed.Select(a => (string)a!).Contains(capture.Value);
                if (!ok)
                {
                    problems.Add(allowed.Type == JTokenType.String
                        ? $"{source}: tracked property '{capture.Value}' is not in any workflow's trackedProperties."
                        : $"{source}: '{name}.{capture.Value}' is not a documented member of '{name}'.");
                }
                break; // only the first member level is documented
            }
        }
        return problems.Distinct().ToList();
    }

    /// <summary>The documented tables <paramref name="kql"/> names outside comments and string literals.</summary>
    public IReadOnlySet<string> TablesRead(string kql)
    {
        var code = StringLiteral().Replace(StripComments(kql), " \"\" ");
        var tables = ((JObject)schema["tables"]!).Properties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return Name().Matches(code).Where(m => !m.Groups["dot"].Success).Select(m => m.Groups["name"].Value).Where(tables.Contains).ToHashSet(StringComparer.Ordinal);
    }

    private static string StripComments(string kql) => LineComment().Replace(kql, "");

    // name, optionally followed by .member(.member)* ; "dot" marks a name that is itself a member (preceded by '.').
    [GeneratedRegex(@"(?<dot>(?<=\.))?\b(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:\.(?<member>[A-Za-z_][A-Za-z0-9_]*))*")]
    private static partial Regex Name();

    [GeneratedRegex(@"\b([A-Za-z_][A-Za-z0-9_]*)\s*=(?![=~])")]
    private static partial Regex Definition();

    [GeneratedRegex(@"\[\s*[""']([A-Za-z_][A-Za-z0-9_]*)[""']\s*\]")]
    private static partial Regex BracketMember();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"actionName\)\s*==\s*""([^""]+)""")]
    private static partial Regex ComparedActionName();

    [GeneratedRegex(@"actionName\)\s*in\s*\(([^)]*)\)")]
    private static partial Regex ActionNameList();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex QuotedName();

    // A column a datatable declares: `step: string`.
    [GeneratedRegex(@"\b([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?:string|long|int|real|bool|datetime|dynamic|timespan|decimal|guid)\b")]
    private static partial Regex TypedColumn();

    [GeneratedRegex(@"operation_Name\s*==\s*""([^""]+)""")]
    private static partial Regex ComparedWorkflowName();
}
