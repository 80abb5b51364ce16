namespace Cli;

/// <summary>The words after the verb: <c>--name value</c> options, <c>--flag</c> switches and positionals.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> options = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Positionals { get; }

    /// <param name="words">The words after the verb.</param>
    /// <param name="switches">Options that take no value: the word after one is not its value (<c>--json RUNID</c>
    /// leaves RUNID a positional). Without it, any option followed by a word that is not an option takes that word.</param>
    public CliArgs(IEnumerable<string> words, IReadOnlySet<string>? switches = null)
    {
        var positionals = new List<string>();
        var list = words.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var word = list[i];
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var name = word[2..];
                var eq = name.IndexOf('=');
                if (eq >= 0) { options[name[..eq]] = name[(eq + 1)..]; continue; }
                var hasValue = switches?.Contains(name) != true && i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
                options[name] = hasValue ? list[++i] : null;
            }
            else
            {
                positionals.Add(word);
            }
        }
        Positionals = positionals;
    }

    /// <summary>The names of the options given (without their <c>--</c>).</summary>
    public IEnumerable<string> OptionNames => options.Keys;

    public bool Has(string name) => options.ContainsKey(name);

    public string? Get(string name) => options.TryGetValue(name, out var value) ? value : null;

    public string Require(string name) => Get(name) ?? throw new CliUsageException($"--{name} is required.");

    /// <summary>A whole-number option from <paramref name="min"/> to <paramref name="max"/>; anything else, a word, a
    /// number too large or out of the range, is refused naming the range.</summary>
    public int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Get(name);
        if (text is null) return defaultValue;
        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }
        var range = (min, max) switch
        {
            (int.MinValue, int.MaxValue) => "",
            (_, int.MaxValue) => $", {min} or more",
            _ => $" from {min} to {max}",
        };
        throw new CliUsageException($"--{name} takes a whole number{range}, not '{text}'.");
    }
}

/// <summary>Wrong words on the command line: printed to stderr with the usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
