using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OrderEvents.CustomCode.Tests.Azurite;

namespace OrderEvents.CustomCode.Tests.Host;

/// <summary>One <c>[Function("Name")]</c> method of the host project as Roslyn reads it.</summary>
internal sealed record HostFunction(string Name, string File, MethodDeclarationSyntax Method)
{
    public IReadOnlyList<ParameterSyntax> Parameters => Method.ParameterList.Parameters;

    public IReadOnlyList<string> ParameterNames => Parameters.Select(p => p.Identifier.ValueText).ToArray();
}

/// <summary>The source files of <c>CustomCode/OrderEvents.Functions</c>, parsed (never built here: its packages do not restore).</summary>
internal static class HostProjectSource
{
    public static string Folder => RepositoryRoot.PathOf("CustomCode/OrderEvents.Functions");

    public static IReadOnlyList<SyntaxTree> Parse() =>
        Directory.EnumerateFiles(Folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path))
            .ToArray();

    public static IReadOnlyList<HostFunction> Functions(IEnumerable<SyntaxTree> trees) =>
        trees.SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
                .Select(method => (Method: method, Attribute: method.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a => IsNamed(a, "Function"))))
                .Where(x => x.Attribute is not null)
                .Select(x => new HostFunction(FunctionName(x.Attribute!), Path.GetFileName(tree.FilePath), x.Method)))
            .ToArray();

    public static bool IsNamed(AttributeSyntax attribute, string name)
    {
        var text = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => attribute.Name.ToString(),
        };
        return text == name || text == name + "Attribute";
    }

    private static string FunctionName(AttributeSyntax attribute) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal
            ? literal.Token.ValueText
            : $"(not a string literal: {attribute})";
}
