using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OrderEvents.CustomCode.Storage;

/// <summary>A container or object name that no store accepts; <see cref="Reason"/> says which rule it broke.</summary>
public sealed class InvalidObjectNameException(string paramName, string reason, string message)
    : ArgumentException(message, paramName)
{
    /// <summary><c>Empty</c>, <c>TooLong</c>, <c>AbsolutePath</c>, <c>EmptySegment</c>, <c>DotSegment</c>,
    /// <c>InvalidCharacter</c>, <c>TrailingDotOrSpace</c>, <c>InvalidContainerName</c>, or (file system store on
    /// Windows only) <c>ReservedName</c>.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// The naming rules every <see cref="IObjectStore"/> enforces, so an object that works on one store works on all:
/// Blob container rules for containers, and for object names the intersection of what Blob Storage, ADLS Gen2
/// (where '/' makes real directories) and the file systems of Linux and Windows accept.
/// </summary>
public static class ObjectNames
{
    public const int MaxObjectNameLength = 1024;
    // 255 is the usual file-name limit; kept below it with room to spare.
    public const int MaxSegmentLength = 240;
    public const int MaxContentTypeLength = 256;

    // Windows rejects these in file names; Blob Storage accepts them but a lake copied to a Windows disk would not.
    private const string ForbiddenCharacters = "\\<>:\"|?*";

    private static readonly HashSet<string> WindowsDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private static readonly SearchValues<char> Forbidden = SearchValues.Create(ForbiddenCharacters);
    private static readonly SearchValues<char> LowercaseLettersDigitsHyphen = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly SearchValues<char> VerbatimCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>Blob container (ADLS file system) rules: 3–63 lowercase letters, digits and single hyphens.</summary>
    public static void ValidateContainer(string? container)
    {
        if (string.IsNullOrEmpty(container) || !IsContainerName(container))
        {
            throw new InvalidObjectNameException(nameof(container), "InvalidContainerName",
                $"The container name '{container}' is invalid: use 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.");
        }
    }

    /// <summary>Whether <paramref name="name"/> is an object name every store accepts; if not, why.</summary>
    public static bool IsValidObjectName(string? name, out string? problem)
    {
        try
        {
            ValidateObjectName(name);
            problem = null;
            return true;
        }
        catch (InvalidObjectNameException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    /// <summary>Object names: relative '/'-separated paths without empty, '.' or '..' segments, control or
    /// Windows-forbidden characters, or trailing dots or spaces.</summary>
    public static void ValidateObjectName(string? name)
    {
        const string param = "name";
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidObjectNameException(param, "Empty", "The object name is empty.");
        }
        if (name.Length > MaxObjectNameLength)
        {
            throw new InvalidObjectNameException(param, "TooLong", $"The object name is {name.Length} characters long; at most {MaxObjectNameLength} are allowed.");
        }
        if (name[0] == '/' || (name.Length >= 2 && name[1] == ':'))
        {
            throw new InvalidObjectNameException(param, "AbsolutePath", $"The object name '{name}' is an absolute path; object names are relative to their container.");
        }
        if (FirstForbidden(name) is var at and >= 0)
        {
            throw new InvalidObjectNameException(param, "InvalidCharacter",
                $"The object name '{Printable(name)}' contains the character U+{(int)name[at]:X4}, which is not allowed (control characters and \\ < > : \" | ? * are rejected).");
        }
        // The segments as spans: a name that breaks no rule (every name a store is given) allocates nothing here.
        for (var rest = name.AsSpan(); ;)
        {
            var slash = rest.IndexOf('/');
            var span = slash < 0 ? rest : rest[..slash];
            if (span.Length == 0 || span is "." or ".." || span.Length > MaxSegmentLength || span[^1] is '.' or ' ') SegmentProblem(name, span.ToString());
            if (slash < 0) break;
            rest = rest[(slash + 1)..];
        }
    }

    /// <summary>Where the first character is that a name may not hold (a control character, as <see cref="char.IsControl(char)"/>
    /// says: U+0000–U+001F and U+007F–U+009F, or one of <see cref="ForbiddenCharacters"/>), or -1.</summary>
    private static int FirstForbidden(ReadOnlySpan<char> name)
    {
        var first = name.IndexOfAny(Forbidden);
        var low = name.IndexOfAnyInRange('\u0000', '\u001F');
        var high = name.IndexOfAnyInRange('\u007F', '\u009F');
        foreach (var at in (ReadOnlySpan<int>)[low, high])
        {
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /// <summary>Throws the problem of a segment found to break a rule (the checks in the order they always ran).</summary>
    private static void SegmentProblem(string name, string segment)
    {
        const string param = "name";
        if (segment.Length == 0)
        {
            throw new InvalidObjectNameException(param, "EmptySegment", $"The object name '{name}' has an empty path segment ('//' or a trailing '/').");
        }
        if (segment is "." or "..")
        {
            throw new InvalidObjectNameException(param, "DotSegment", $"The object name '{name}' has a '{segment}' segment; relative navigation is not allowed.");
        }
        if (segment.Length > MaxSegmentLength)
        {
            throw new InvalidObjectNameException(param, "TooLong", $"A segment of the object name '{name}' is {segment.Length} characters long; at most {MaxSegmentLength} are allowed.");
        }
        if (segment[^1] is '.' or ' ')
        {
            throw new InvalidObjectNameException(param, "TrailingDotOrSpace", $"The segment '{segment}' of the object name '{name}' ends with a dot or space, which Blob Storage and Windows do not keep.");
        }
    }

    /// <summary>Windows device names (<c>CON</c>, <c>NUL</c>, <c>COM1</c>, ...) cannot be files there: only the file
    /// system store on Windows rejects them; Blob Storage and Linux accept them.</summary>
    internal static void ValidateForWindowsFileSystem(string name)
    {
        foreach (var segment in name.Split('/'))
        {
            if (WindowsDeviceNames.Contains(segment.Split('.')[0]))
            {
                throw new InvalidObjectNameException("name", "ReservedName", $"The segment '{segment}' of the object name '{name}' is a reserved device name on Windows.");
            }
        }
    }

    /// <summary>A content type is an HTTP header value: 1-256 printable ASCII characters (no line breaks, which the
    /// file system store's header could not hold and the Blob service would refuse).</summary>
    public static void ValidateContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || contentType.Length > MaxContentTypeLength || contentType.Any(c => c < 0x20 || c > 0x7E))
        {
            throw new ArgumentException($"The content type '{(contentType is null ? "" : Printable(contentType))}' is invalid: use 1-{MaxContentTypeLength} printable ASCII characters, e.g. 'application/json'.", nameof(contentType));
        }
    }

    /// <summary>Validates both names (the check every store runs before touching storage).</summary>
    public static void Validate(string? container, string? name)
    {
        ValidateContainer(container);
        ValidateObjectName(name);
    }

    /// <summary>
    /// Turns any text (a business key, a message id) into one safe path segment: kept verbatim when it is short and
    /// made of letters, digits, '.', '_' and '-' (readable for operators); otherwise <c>_sha256-{hex}</c>. The two
    /// forms cannot collide: a verbatim segment never starts with '_'.
    /// </summary>
    public static string ToSafeSegment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsVerbatim(text) && text[^1] != '.' && !IsDeviceName(text))
        {
            return text;
        }
        return "_sha256-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }

    /// <summary>What <c>^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$</c> matched (the pattern this replaced; its <c>$</c> also
    /// matches before one final line feed, so that is kept as it was): 3–63 lowercase letters, digits and hyphens,
    /// starting and ending with a letter or digit, no two hyphens in a row.</summary>
    private static bool IsContainerName(string container)
    {
        var core = container.AsSpan();
        if (core.Length > 0 && core[^1] == '\n') core = core[..^1];
        return core.Length is >= 3 and <= 63 && !core.ContainsAnyExcept(LowercaseLettersDigitsHyphen)
               && core[0] != '-' && core[^1] != '-' && !core.Contains("--", StringComparison.Ordinal);
    }

    /// <summary>What <c>^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$</c> matched (the pattern this replaced, its <c>$</c> matching
    /// before one final line feed too): 1–128 letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    private static bool IsVerbatim(string text)
    {
        var core = text.AsSpan();
        if (core.Length > 0 && core[^1] == '\n') core = core[..^1];
        return core.Length is >= 1 and <= 128 && !core.ContainsAnyExcept(VerbatimCharacters) && char.IsAsciiLetterOrDigit(core[0]);
    }

    /// <summary>Whether the text before the first '.' is a Windows device name (only names of 3 or 4 characters can be).</summary>
    private static bool IsDeviceName(string text)
    {
        var dot = text.IndexOf('.');
        var stem = dot < 0 ? text.AsSpan() : text.AsSpan(0, dot);
        return stem.Length is 3 or 4 && WindowsDeviceNames.Contains(stem.ToString());
    }

    private static string Printable(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
