using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Workflows.Scripting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;
using Workflows.Runtime.Engine;
using Workflows.Runtime.Expressions;
using Workflows.Runtime.Expressions.Values;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Scripting;

/// <summary>
/// "Execute CSharp Script Code" (<c>CSharpScriptCode</c>): runs the workflow folder's <c>.csx</c> with Roslyn
/// scripting. Each file is compiled once (per content version) and cached; <c>Run(context[, log])</c> is called
/// and its return value becomes <c>outputs.body</c>, camel-cased as in Azure.
/// </summary>
internal static partial class CSharpScriptAction
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<CompiledScript>>> Cache = new(StringComparer.Ordinal);

    private static readonly JsonSerializer CamelCase = JsonSerializer.Create(new JsonSerializerSettings
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        ReferenceLoopHandling = ReferenceLoopHandling.Ignore,
    });

    public static async ValueTask<WorkflowStatus> ExecuteAsync(ActionContext context)
    {
        context.Record.RawInputs = context.Action.Json["inputs"] is { } inputs ? JsonTree.Copy(inputs) : null;
        var path = context.Action.CodeFilePath
                   ?? throw ActionFailure.BadRequest("ScriptNotFound", $"Action '{context.Action.Name}' has no CodeFile.");
        var version = Path.IsPathRooted(path) ? VersionOf(path) : null;
        if (version is null)
            throw ActionFailure.BadRequest("ScriptNotFound", $"The script file '{path}' of action '{context.Action.Name}' does not exist in the workflow folder.");

        var script = await GetAsync(path, version).ConfigureAwait(false);
        if (script.Errors is { } errors)
            throw ActionFailure.BadRequest("ScriptCompilationFailed", $"The script '{Path.GetFileName(path)}' of action '{context.Action.Name}' does not compile: {errors}");

        var scope = context.Scope;
        var globals = new CSharpScriptGlobals
        {
            LogicAppsContext = new WorkflowContext(() => WorkflowOperationResult.FromTrigger(scope.TriggerRecord), name => WorkflowOperationResult.FromAction(Lookup(scope, name))),
            LogicAppsLog = context.Engine.Options.LoggerFactory?.CreateLogger($"Workflow.{context.Execution.Definition.Name}.{context.Action.Name}") ?? NullLogger.Instance,
        };

        object? result;
        try
        {
            result = await script.Runner!(globals, context.CancellationToken).ConfigureAwait(false);
            if (result is Task task)
            {
                await task.ConfigureAwait(false);
                result = ResultOf(task);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            var inner = ex is TargetInvocationException { InnerException: { } wrapped } ? wrapped : ex;
            throw new ActionFailure("ScriptExecutionFailed", "ScriptExecutionFailed",
                $"The script '{Path.GetFileName(path)}' of action '{context.Action.Name}' threw {inner.GetType().Name}: {inner.Message}");
        }

        var body = result switch
        {
            null => JValue.CreateNull(),
            JToken token => token,
            _ => JToken.FromObject(result, CamelCase),
        };
        context.Record.RawOutputs = new JObject { ["body"] = body };
        context.Record.Code = "OK";
        return WorkflowStatus.Succeeded;
    }

    /// <summary>Compiles the script at <paramref name="path"/> now (if it exists) so that its first run does not wait for Roslyn.</summary>
    public static Task PrepareAsync(string path) =>
        Path.IsPathRooted(path) && VersionOf(path) is { } version ? GetAsync(path, version) : Task.CompletedTask;

    private static ActionRun Lookup(RunScope scope, string name)
    {
        try
        {
            return scope.ActionRecord(name);
        }
        catch (ExpressionScopeException ex)
        {
            throw new InvalidOperationException(ex.Message);
        }
    }

    private static Task<CompiledScript> GetAsync(string path, string version)
    {
        var key = $"{path}|{version}";
        return Cache.GetOrAdd(key, _ => new Lazy<Task<CompiledScript>>(() => Task.Run(() => Compile(path)))).Value;
    }

    /// <summary>The script file's version (its last write time), or null when it does not exist. Looked up on disk at most
    /// once a second per file: a busy workflow runs its script thousands of times a second, and an edited script is still
    /// picked up within a second.</summary>
    private static string? VersionOf(string path)
    {
        var now = Environment.TickCount64;
        if (Versions.TryGetValue(path, out var known) && now - known.CheckedAt < 1000) return known.Version;
        var version = File.Exists(path) ? File.GetLastWriteTimeUtc(path).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        if (version is null) Versions.TryRemove(path, out _);
        else Versions[path] = (version, now);
        return version;
    }

    /// <summary>The value of a <c>Task&lt;T&gt;</c> a script returned (null for a plain <c>Task</c>). The property is looked up
    /// once per task type and kept: looking it up on each call made .NET build a new invoke stub again and again.</summary>
    private static object? ResultOf(Task task)
    {
        var property = ResultProperties.GetOrAdd(task.GetType(), type =>
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Task<>) && t.GetGenericArguments()[0].Name != "VoidTaskResult")
                    return t.GetProperty(nameof(Task<object>.Result));
            }
            return null;
        });
        return property?.GetValue(task);
    }

    private static readonly ConcurrentDictionary<string, (string Version, long CheckedAt)> Versions = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<Type, PropertyInfo?> ResultProperties = new();

    private static CompiledScript Compile(string path)
    {
        var source = ProvidedReferences().Replace(File.ReadAllText(path), "// (reference provided by the local runtime)");
        var runParameters = RunParameterCount(source);
        if (runParameters is null) return new CompiledScript(null, "the script must define a 'Run(WorkflowContext context, ILogger log)' method.");

        var options = ScriptOptions.Default
            .WithFilePath(path)
            .WithSourceResolver(new SourceFileResolver([], Path.GetDirectoryName(path)!))
            .WithReferences(
                typeof(object).Assembly,
                typeof(Enumerable).Assembly,
                typeof(HttpClient).Assembly,
                typeof(JToken).Assembly,
                typeof(WorkflowContext).Assembly,
                typeof(ILogger).Assembly,
                Assembly.Load("System.Runtime"),
                Assembly.Load("System.Collections"),
                Assembly.Load("netstandard"))
            .WithImports("System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading.Tasks");

        var call = runParameters == 1 ? "Run(LogicAppsContext)" : "Run(LogicAppsContext, LogicAppsLog)";
        var script = CSharpScript.Create(source, options, typeof(CSharpScriptGlobals)).ContinueWith<object>(call, options);
        var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) return new CompiledScript(null, string.Join(" ", errors.Take(5).Select(e => e.ToString())));
        return new CompiledScript(script.CreateDelegate(), null);
    }

    /// <summary>How many parameters the script's top-level <c>Run</c> method takes (null: no such method).</summary>
    private static int? RunParameterCount(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var run = tree.GetRoot().ChildNodes()
            .SelectMany(node => node is GlobalStatementSyntax global ? [global.Statement] : new SyntaxNode[] { node })
            .Select(node => node switch
            {
                MethodDeclarationSyntax method => (method.Identifier.Text, method.ParameterList.Parameters.Count),
                LocalFunctionStatementSyntax local => (local.Identifier.Text, local.ParameterList.Parameters.Count),
                _ => ("", -1),
            })
            .FirstOrDefault(m => m.Item1 == "Run");
        return run.Item2 >= 0 && run.Item1 == "Run" ? run.Item2 : null;
    }

    /// <summary>The <c>#r</c> lines of Microsoft's template, whose assemblies this runtime already references.</summary>
    [GeneratedRegex("""^[ \t]*#r[ \t]+"(Newtonsoft\.Json|Microsoft\.Azure\.Workflows\.Scripting|Microsoft\.Extensions\.Logging(\.Abstractions)?)(\.dll)?"[ \t]*$""", RegexOptions.Multiline)]
    private static partial Regex ProvidedReferences();

    private sealed record CompiledScript(ScriptRunner<object>? Runner, string? Errors);
}

/// <summary>The globals a compiled script sees (public because Roslyn scripting requires it).</summary>
public sealed class CSharpScriptGlobals
{
    public WorkflowContext LogicAppsContext { get; init; } = null!;

    public ILogger LogicAppsLog { get; init; } = NullLogger.Instance;
}
