using OrderEvents.CustomCode.Mapping;

namespace OrderEvents.CustomCode.Contracts;

/// <summary>
/// A refusal in two short values that telemetry can group by: the distinct error codes, sorted and joined with ','
/// (a request breaking several rules counts once, under all its codes), and the path of the first error. Both are
/// bounded and free of control characters, because they travel as tracked properties (Application Insights
/// custom dimensions); neither ever holds a value of the request, only codes and the JSONPath of a property.
/// </summary>
public static class ContractErrorSummary
{
    public const int MaxCodesLength = 256;
    public const int MaxPathLength = 256;
    private const string More = ",\u2026";

    /// <summary><c>InvalidCurrency,Required</c>; null when there is no error.</summary>
    public static string? Codes(IReadOnlyList<ContractError> errors)
    {
        var codes = errors.Select(e => SafeText.StripControlCharacters(e.Code)).Where(c => c.Length > 0)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (codes.Count == 0) return null;
        var joined = string.Join(',', codes);
        if (joined.Length <= MaxCodesLength) return joined;
        // Cut at a code boundary: a half code would group as a code of its own.
        var kept = new List<string>();
        var length = 0;
        foreach (var code in codes)
        {
            var added = (kept.Count == 0 ? 0 : 1) + code.Length;
            if (length + added + More.Length > MaxCodesLength) break;
            kept.Add(code);
            length += added;
        }
        return string.Join(',', kept) + More;
    }

    /// <summary>The first error's path (<c>$.data.lines[2].quantity</c>), bounded; null when there is no error.</summary>
    public static string? FirstPath(IReadOnlyList<ContractError> errors) =>
        errors.Count == 0 ? null : SafeText.Truncate(SafeText.StripControlCharacters(errors[0].Path), MaxPathLength);
}
