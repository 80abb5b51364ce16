using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ObjectStore.Local;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>
/// The file-system store and the local runtime's SQLite store under writers in separate OS processes (a host restarted
/// while the old one still runs, a CLI beside a running app): a small program, compiled here against the libraries,
/// runs in four processes with two writers each. They race to create the same 100 names and to increment one counter by read + If-Match replace.
/// Exactly one create per name may win, and no increment may be lost.
/// </summary>
[TestClass]
public sealed class When_writers_in_several_processes_share_one_folder_each_conditional_write_wins_once
{
    private const int Processes = 4;
    private const int Names = 100;
    private const int IncrementsPerWriter = 50;

    private const string WriterProgram = """
        using System.Text;
        using OrderEvents.CustomCode.Storage;

        var (root, id) = (args[0], args[1]);
        IObjectStore store = args[4] == "sqlite"
            ? new ObjectStore.Local.SqliteObjectStore(Path.Combine(root, "storage.db"), TimeSpan.FromMinutes(2))
            : new FileSystemObjectStore(root, TimeSpan.FromMinutes(2));
        while (!File.Exists(Path.Combine(root, "go"))) await Task.Delay(1);
        var won = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; n < int.Parse(args[2]); n++)
            {
                if (await store.TryCreateAsync("race", $"names/n{n}.json", Encoding.UTF8.GetBytes($"\"{id}\""), "application/json") is not null) won.Add($"n{n}");
            }
            for (var i = 0; i < int.Parse(args[3]); i++)
            {
                while (true)
                {
                    var current = (await store.ReadAsync("race", "counter.json"))!;
                    var next = int.Parse(Encoding.UTF8.GetString(current.Content.Span)) + 1;
                    if (await store.TryReplaceAsync("race", "counter.json", Encoding.UTF8.GetBytes(next.ToString()), "application/json", current.ETag) is not null) break;
                }
            }
        })));
        Console.WriteLine(string.Join(",", won));
        """;

    [TestMethod]
    [DataRow("files")]
    [DataRow("sqlite")]
    public async Task Creates_and_if_match_increments_from_four_processes(string kind)
    {
        var work = Directory.CreateTempSubdirectory("fs-store-processes-").FullName;
        try
        {
            var program = Compile(work);
            var root = Path.Combine(work, "store");
            Directory.CreateDirectory(root);
            using var opened = kind == "sqlite" ? new SqliteObjectStore(Path.Combine(root, SqliteObjectStore.DefaultFileName)) : null;
            IObjectStore store = (IObjectStore?)opened ?? new FileSystemObjectStore(root);
            await store.TryCreateAsync("race", "counter.json", "0"u8.ToArray(), "application/json");

            var writers = Enumerable.Range(0, Processes).Select(id => Start(program, root, $"p{id}", kind)).ToList();
            await File.WriteAllTextAsync(Path.Combine(root, "go"), "");
            var outputs = await Task.WhenAll(writers.Select(FinishAsync));

            var claimed = outputs.SelectMany((output, id) => output.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name => (Name: name, Writer: $"p{id}"))).ToList();
            Assert.AreEqual(Names, claimed.Count, "each name is won by exactly one create");
            Assert.AreEqual(Names, claimed.Select(c => c.Name).Distinct().Count());
            foreach (var (name, writer) in claimed)
            {
                Assert.AreEqual($"\"{writer}\"", Encoding.UTF8.GetString((await store.ReadAsync("race", $"names/{name}.json"))!.Content.Span), $"{name} holds its winner's content");
            }
            var counter = Encoding.UTF8.GetString((await store.ReadAsync("race", "counter.json"))!.Content.Span);
            Assert.AreEqual((Processes * 2 * IncrementsPerWriter).ToString(), counter, "no increment is lost");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Compiles the writer next to a copy of the libraries (SQLite's managed and native ones too), runnable
    /// with <c>dotnet writer.dll</c>.</summary>
    private static string Compile(string folder)
    {
        var library = typeof(FileSystemObjectStore).Assembly.Location;
        var localStore = typeof(SqliteObjectStore).Assembly.Location;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(library)
            .Append(localStore)
            .Select(path => MetadataReference.CreateFromFile(path));
        var source = "global using System; global using System.IO; global using System.Linq; global using System.Threading.Tasks;\n" + WriterProgram;
        var compilation = CSharpCompilation.Create("writer",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        var program = Path.Combine(folder, "writer.dll");
        var emitted = compilation.Emit(program);
        Assert.IsTrue(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        var output = Path.GetDirectoryName(localStore)!;
        var native = Path.Combine(output, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native");
        foreach (var file in Directory.EnumerateFiles(output).Concat(Directory.Exists(native) ? Directory.EnumerateFiles(native) : []).Where(f => Path.GetFileName(f) is var n
            && (n == Path.GetFileName(library) || n == Path.GetFileName(localStore) || n.StartsWith("Sqlite.Native", StringComparison.Ordinal) || n.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal)
                || n.StartsWith("SQLitePCLRaw", StringComparison.Ordinal) || n.Contains("e_sqlite3", StringComparison.Ordinal))))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        var runtime = $"{Environment.Version.Major}.{Environment.Version.Minor}";
        var config = new Newtonsoft.Json.Linq.JObject
        {
            ["runtimeOptions"] = new Newtonsoft.Json.Linq.JObject
            {
                ["tfm"] = $"net{runtime}",
                ["framework"] = new Newtonsoft.Json.Linq.JObject { ["name"] = "Microsoft.NETCore.App", ["version"] = $"{runtime}.0" },
            },
        };
        File.WriteAllText(Path.Combine(folder, "writer.runtimeconfig.json"), config.ToString());
        return program;
    }

    private static Process Start(string program, string root, string id, string kind)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { program, root, id, Names.ToString(), IncrementsPerWriter.ToString(), kind })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }

    private static async Task<string> FinishAsync(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("a writer process did not finish within 2 minutes");
            }
            Assert.AreEqual(0, process.ExitCode, await errors);
            return (await output).Trim();
        }
    }
}
