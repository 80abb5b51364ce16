namespace OrderEvents.CustomCode.Contracts;

/// <summary>JSONPath text of a value: <c>$.data.lines[1].quantity</c>; names that are not identifiers in
/// brackets (<c>$['odd name']</c>). tools/node/validate-schemas.js writes the same form.</summary>
public static class JsonPaths
{
    public const string Root = "$";

    /// <summary>The start of a path relative to a function parameter (<c>data.lines[1]</c>, no <c>$.</c>): the form
    /// the mapping functions have always reported.</summary>
    public const string Relative = "";

    public static string Property(string parent, string name) =>
        IsIdentifier(name)
            ? (parent.Length == 0 ? name : $"{parent}.{name}")
            : $"{parent}['{name.Replace("\\", "\\\\").Replace("'", "\\'")}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(IsLetter(name[0]) || name[0] is '_' or '$')) return false;
        foreach (var c in name)
        {
            if (!(IsLetter(c) || c is >= '0' and <= '9' || c is '_' or '$')) return false;
        }
        return true;
    }

    private static bool IsLetter(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z';
}
