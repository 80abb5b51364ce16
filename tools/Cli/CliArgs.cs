namespace Cli;

/// <summary>The words after the verb: <c>--name value</c> options, <c>--flag</c> switches and positionals.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> options = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Positionals { get; }

    public CliArgs(IEnumerable<string> words)
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
                var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
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

    public int GetInt(string name, int defaultValue)
    {
        var text = Get(name);
        if (text is null) return defaultValue;
        return int.TryParse(text, out var value) ? value : throw new CliUsageException($"--{name} takes a whole number, not '{text}'.");
    }
}

/// <summary>Wrong words on the command line: printed to stderr with the usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
