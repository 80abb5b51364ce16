using System.Text;
using System.Text.RegularExpressions;

namespace OrderEvents.CustomCode.Tests.Conventions;

/// <summary>
/// The README is the front door: at most 25 KB, and its layout table says where things are. Every path it names
/// exists, every top-level folder and every project is in it, and a project's row lists exactly the project's
/// folders, so a folder added or renamed shows up here before a newcomer looks for it.
/// </summary>
[TestClass]
public sealed partial class When_the_readme_is_read_its_layout_table_matches_the_folders
{
    private const int MaximumReadmeBytes = 25 * 1024;

    [GeneratedRegex(@"`([^`]+)`")] private static partial Regex Code();

    private static readonly string[] BuildOutputFolders = ["bin", "obj", "node_modules"];

    private static string ReadmePath => RepositoryRoot.PathOf("README.md");

    [TestMethod]
    public void The_readme_is_at_most_25_KB()
    {
        var bytes = new FileInfo(ReadmePath).Length;

        Assert.IsLessThanOrEqualTo(MaximumReadmeBytes, bytes, $"README.md has {bytes} bytes; move detail into docs/");
    }

    [TestMethod]
    public void Every_path_the_table_names_exists()
    {
        var missing = LayoutRows()
            .SelectMany(row => Code().Matches(row.Where).Select(m => m.Groups[1].Value))
            .Where(path => !path.Contains('<', StringComparison.Ordinal))
            .Where(path => !File.Exists(RepositoryRoot.PathOf(path)) && !Directory.Exists(RepositoryRoot.PathOf(path)))
            .ToList();

        Assert.IsEmpty(missing, "named in the README layout table but not in the repository: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void Every_top_level_folder_and_every_project_is_in_the_table()
    {
        var table = string.Join("\n", LayoutRows().Select(r => r.Where + " " + r.What));
        var topLevel = Directory.GetDirectories(RepositoryRoot.FullPath)
            .Select(Path.GetFileName)
            .Where(name => name is not null && (!name.StartsWith('.') || name == ".ci"))
            .Select(name => name + "/");
        var projects = Directory.EnumerateFiles(RepositoryRoot.FullPath, "*.csproj", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(path))
            .Select(path => Path.GetFileNameWithoutExtension(path));

        var absent = topLevel.Where(folder => !table.Contains('`' + folder, StringComparison.Ordinal) && !table.Contains('`' + folder.TrimEnd('/') + '`', StringComparison.Ordinal))
            .Concat(projects.Where(project => !table.Contains(project, StringComparison.Ordinal)))
            .ToList();

        Assert.IsEmpty(absent, "missing from the README layout table: " + string.Join(", ", absent));
    }

    [TestMethod]
    public void A_projects_row_lists_exactly_its_folders()
    {
        var problems = new List<string>();
        foreach (var row in LayoutRows())
        {
            var named = Code().Matches(row.Where).Select(m => m.Groups[1].Value).ToList();
            if (named.Count != 1) continue;
            var folder = named[0];
            if (!folder.EndsWith('/') || folder.Contains('<', StringComparison.Ordinal)) continue;
            var path = RepositoryRoot.PathOf(folder);
            if (!Directory.Exists(path) || Directory.GetFiles(path, "*.csproj").Length == 0) continue;

            var actual = Directory.GetDirectories(path).Select(Path.GetFileName).OfType<string>()
                .Where(name => !BuildOutputFolders.Contains(name)).Select(name => name + "/").ToHashSet(StringComparer.Ordinal);
            var listed = Code().Matches(row.What).Select(m => m.Groups[1].Value)
                .SelectMany(ListedFolders).ToHashSet(StringComparer.Ordinal);

            problems.AddRange(actual.Except(listed).Select(f => $"{folder}{f} is not listed in its row"));
            problems.AddRange(listed.Except(actual).Select(f => $"{folder}{f} is listed but does not exist"));
        }

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    /// <summary><c>Expressions/</c> lists itself and <c>Mapping/Sap|Sms|Warehouse/</c> lists <c>Mapping/</c>; other
    /// code spans (paths elsewhere such as <c>lib/custom/</c>, file names, commands) list no folder of the project.</summary>
    private static IEnumerable<string> ListedFolders(string code)
    {
        if (!code.EndsWith('/') || code.Contains(' ', StringComparison.Ordinal)) yield break;
        var segments = code.TrimEnd('/').Split('/');
        if (segments.Length == 1 || code.Contains('|', StringComparison.Ordinal)) yield return segments[0] + "/";
    }

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar).Any(part => BuildOutputFolders.Contains(part) || part == ".local");

    /// <summary>The rows of the table under "## Layout", split on the pipes outside code spans.</summary>
    private static IReadOnlyList<(string Where, string What)> LayoutRows()
    {
        var lines = File.ReadAllLines(ReadmePath);
        var start = Array.FindIndex(lines, l => l.StartsWith("## Layout", StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, start, "README.md has no '## Layout' section");
        var rows = new List<(string, string)>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal)) continue;
            var cells = Cells(line);
            rows.Add((cells[0], cells.Count > 1 ? cells[1] : ""));
        }
        Assert.IsGreaterThanOrEqualTo(10, rows.Count, "the layout table was not found");
        return rows;
    }

    private static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var inCode = false;
        foreach (var c in line.Trim().Trim('|'))
        {
            if (c == '`') inCode = !inCode;
            if (c == '|' && !inCode)
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
                continue;
            }
            cell.Append(c);
        }
        cells.Add(cell.ToString().Trim());
        return cells;
    }
}
