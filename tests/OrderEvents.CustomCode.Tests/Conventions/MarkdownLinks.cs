using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OrderEvents.CustomCode.Tests.Conventions;

/// <summary>
/// The relative links of Markdown files and where they lead: a link names a file or folder, an anchor (<c>#...</c>) a
/// heading of the Markdown file it points to. Anchors follow GitHub's rule for headings: the heading's text (code
/// spans and links reduced to their text), lower case, every character that is not a letter, digit, mark, hyphen,
/// underscore or space dropped, each space a hyphen, and a repeated anchor numbered <c>-1</c>, <c>-2</c>, ... .
/// Fenced code blocks and code spans hold text, not links or headings.
/// </summary>
public static partial class MarkdownLinks
{
    [GeneratedRegex(@"\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")] private static partial Regex Link();
    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*#*\s*$")] private static partial Regex Heading();
    [GeneratedRegex(@"`+[^`]*`+")] private static partial Regex CodeSpan();
    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")] private static partial Regex LinkText();
    [GeneratedRegex(@"<a\s+(?:name|id)=""([^""]+)""")] private static partial Regex HtmlAnchor();
    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")] private static partial Regex Scheme();

    /// <summary>Every broken relative link or anchor of these Markdown files (paths relative to <paramref name="root"/>),
    /// as <c>file:line: link (why)</c>.</summary>
    public static IReadOnlyList<string> Broken(string root, IEnumerable<string> markdownFiles)
    {
        var anchorsByFile = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var broken = new List<string>();
        foreach (var file in markdownFiles)
        {
            var lines = File.ReadAllLines(Path.Combine(root, file));
            foreach (var (number, text) in OutsideFences(lines))
            {
                foreach (Match link in Link().Matches(CodeSpan().Replace(text, " ")))
                {
                    var target = link.Groups[1].Value;
                    if (Scheme().IsMatch(target)) continue;
                    var hash = target.IndexOf('#', StringComparison.Ordinal);
                    var pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
                    var anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
                    var resolved = pathPart.Length == 0
                        ? file
                        : Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, Path.GetDirectoryName(file) ?? "", pathPart)));
                    var full = Path.Combine(root, resolved);
                    if (resolved.StartsWith("..", StringComparison.Ordinal))
                        broken.Add($"{file}:{number}: {target} (outside the repository)");
                    else if (!File.Exists(full) && !Directory.Exists(full))
                        broken.Add($"{file}:{number}: {target} (no such file)");
                    else if (anchor is not null && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && File.Exists(full))
                    {
                        var key = resolved.Replace('\\', '/');
                        if (!anchorsByFile.TryGetValue(key, out var anchors)) anchorsByFile[key] = anchors = Anchors(File.ReadAllLines(full));
                        if (!anchors.Contains(anchor)) broken.Add($"{file}:{number}: {target} (no heading '{anchor}' in {key})");
                    }
                }
            }
        }
        return broken;
    }

    /// <summary>The anchors a Markdown text offers: its headings by GitHub's rule, and HTML <c>name</c>/<c>id</c> anchors.</summary>
    public static HashSet<string> Anchors(IEnumerable<string> lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, text) in OutsideFences(lines))
        {
            foreach (Match html in HtmlAnchor().Matches(text)) anchors.Add(html.Groups[1].Value);
            var heading = Heading().Match(text);
            if (!heading.Success) continue;
            var slug = Slug(heading.Groups[2].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count.ToString(CultureInfo.InvariantCulture)}");
        }
        return anchors;
    }

    /// <summary>A heading's anchor as GitHub writes it.</summary>
    public static string Slug(string heading)
    {
        var text = LinkText().Replace(heading, "$1").Replace("`", "", StringComparison.Ordinal).Replace("*", "", StringComparison.Ordinal);
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (c == ' ') slug.Append('-');
            else if (c is '-' or '_' || char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
                slug.Append(c);
        }
        return slug.ToString();
    }

    /// <summary>The lines outside fenced code blocks (<c>```</c> or <c>~~~</c>), with their 1-based numbers.</summary>
    private static IEnumerable<(int Number, string Text)> OutsideFences(IEnumerable<string> lines)
    {
        string? fence = null;
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            var trimmed = line.TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                continue;
            }
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal)) fence = null;
                continue;
            }
            yield return (number, line);
        }
    }
}
