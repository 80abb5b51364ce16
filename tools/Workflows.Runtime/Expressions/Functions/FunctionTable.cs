using System.Diagnostics.CodeAnalysis;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>Every template language function by name (case-insensitive), grouped as Microsoft's reference groups them.</summary>
internal static class FunctionTable
{
    private static readonly Dictionary<string, FunctionDefinition> Functions = Build();

    public static bool TryGet(string name, [NotNullWhen(true)] out FunctionDefinition? function) =>
        Functions.TryGetValue(name, out function);

    public static IEnumerable<string> Names => Functions.Values.Select(f => f.Name).Distinct().Order(StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, FunctionDefinition> Build()
    {
        var table = new Dictionary<string, FunctionDefinition>(StringComparer.OrdinalIgnoreCase);
        void Add(FunctionDefinition definition) => table.Add(definition.Name, definition);
        StringFunctions.Register(Add);
        CollectionFunctions.Register(Add);
        LogicalFunctions.Register(Add);
        ConversionFunctions.Register(Add);
        MathFunctions.Register(Add);
        DateTimeFunctions.Register(Add);
        WorkflowFunctions.Register(Add);
        UriFunctions.Register(Add);
        ManipulationFunctions.Register(Add);
        return table;
    }

    internal static FunctionDefinition Define(string name, int min, int max, FunctionBody body) => new(name, min, max, body);

    internal static FunctionDefinition DefineLazy(string name, int min, int max, LazyFunctionBody body) => new(name, min, max, null, body);
}
