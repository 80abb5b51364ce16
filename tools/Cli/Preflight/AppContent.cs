using System.IO.Compression;
using Cli.Commands;

namespace Cli.Preflight;

/// <summary>
/// The Logic App as Azure receives it: the files at the app root (host.json, connections.json, parameters.json,
/// Artifacts/, lib/, one folder per workflow), keyed by their app-root path with forward slashes. Built either from
/// the working tree (what <c>package</c> would put in the zip) or read back from a zip, so the packager and every
/// preflight check look at the same thing.
/// </summary>
public sealed class AppContent
{
    private readonly SortedDictionary<string, Func<Stream>> files;

    private AppContent(SortedDictionary<string, Func<Stream>> files, string origin)
    {
        this.files = files;
        Origin = origin;
    }

    /// <summary>Where the content came from, for messages: the repository folder or the zip file.</summary>
    public string Origin { get; }

    public IReadOnlyCollection<string> Paths => files.Keys;

    public bool Contains(string path) => files.ContainsKey(path);

    public Stream Open(string path) => files[path]();

    public byte[] ReadBytes(string path)
    {
        using var stream = Open(path);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public string ReadText(string path)
    {
        using var reader = new StreamReader(Open(path));
        return reader.ReadToEnd();
    }

    /// <summary>Paths directly or indirectly below <paramref name="folder"/> (no trailing slash).</summary>
    public IEnumerable<string> Under(string folder) =>
        files.Keys.Where(p => p.StartsWith(folder + "/", StringComparison.OrdinalIgnoreCase));

    /// <summary>The workflow folders: every root folder holding a workflow.json.</summary>
    public IReadOnlyList<string> WorkflowNames() =>
        files.Keys.Where(p => p.Count(c => c == '/') == 1 && p.EndsWith("/workflow.json", StringComparison.Ordinal))
            .Select(p => p[..p.IndexOf('/')])
            .ToArray();

    /// <summary>
    /// What <c>package</c> puts in the zip: <see cref="LogicAppProject.AppRootFiles"/>, the <see cref="LogicAppProject.AppRootFolders"/>
    /// and every workflow folder flattened to the root, less what <c>.funcignore</c> excludes and less any
    /// local.settings.json (app settings are resource configuration, not files). <paramref name="extraFiles"/> are
    /// added on top (app-root path → file), e.g. the SAP client libraries from outside the repository.
    /// </summary>
    public static AppContent FromWorkingTree(LogicAppProject project, IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        var ignore = project.ReadFuncIgnore();
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in LogicAppProject.AppRootFiles)
        {
            var path = project.PathOf(file);
            if (!File.Exists(path)) throw new CliUsageException($"{file} is missing at the repository root.");
            sources[file] = path;
        }
        foreach (var folder in LogicAppProject.AppRootFolders.Where(f => Directory.Exists(project.PathOf(f))))
        {
            AddFolder(sources, project.PathOf(folder), folder);
        }
        foreach (var workflow in project.WorkflowNames())
        {
            AddFolder(sources, Path.Combine(project.WorkflowsDirectory, workflow), workflow);
        }
        var included = new SortedDictionary<string, Func<Stream>>(StringComparer.Ordinal);
        foreach (var (entry, source) in sources)
        {
            if (ignore.IsIgnored(entry) || Path.GetFileName(entry) == "local.settings.json") continue;
            included[entry] = () => File.OpenRead(source);
        }
        foreach (var (entry, source) in extraFiles ?? new Dictionary<string, string>())
        {
            included[entry] = () => File.OpenRead(source);
        }
        return new AppContent(included, project.Root);
    }

    /// <summary>The entries of a zip-deploy package. The zip's bytes are read once; entries open from memory.</summary>
    public static AppContent FromZip(string zipPath)
    {
        if (!File.Exists(zipPath)) throw new CliUsageException($"The package '{zipPath}' does not exist.");
        var bytes = File.ReadAllBytes(zipPath);
        var entries = new SortedDictionary<string, Func<Stream>>(StringComparer.Ordinal);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries.Where(e => !e.FullName.EndsWith('/')))
            {
                var name = entry.FullName.Replace('\\', '/');
                entries[name] = () =>
                {
                    var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
                    var copy = new MemoryStream();
                    using (var stream = zip.GetEntry(entry.FullName)!.Open()) stream.CopyTo(copy);
                    copy.Position = 0;
                    return copy;
                };
            }
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException($"'{zipPath}' is not a readable zip file: {ex.Message}");
        }
        return new AppContent(entries, zipPath);
    }

    /// <summary>Writes the content as a zip-deploy package: entries sorted and time-stamped identically, so the same files give the same bytes.
    /// The zip is written beside <paramref name="output"/> and moved onto it once whole: a write that fails or is
    /// stopped half-way leaves the previous package as it was, never a truncated one under its name.</summary>
    public void WriteZip(string output)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var partial = output + ".partial";
        File.Delete(partial); // left by a write that was killed
        try
        {
            using (var zip = ZipFile.Open(partial, ZipArchiveMode.Create))
            {
                foreach (var (entryName, open) in files)
                {
                    var entry = zip.CreateEntry(entryName, CompressionLevel.Optimal);
                    entry.LastWriteTime = EntryTime;
                    using var target = entry.Open();
                    using var source = open();
                    source.CopyTo(target);
                }
            }
            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static void AddFolder(IDictionary<string, string> files, string folder, string prefix)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            files[prefix + "/" + Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/')] = path;
        }
    }
}
