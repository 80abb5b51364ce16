using System.Runtime.CompilerServices;
namespace Workflows.Runtime.History;

/// <summary>
/// The strings a workflow's definition decides, stored once per run store file (table <c>run_strings</c>) and written in
/// run documents and records as their number: workflow, trigger and action names and types, action codes, a skipped
/// action's code and message, loop and variable names. In a clean day they were a third of every run's bytes (a skipped
/// action alone wrote about 200 bytes of "The execution of template action '...' is skipped: ..."), the same in every
/// run of a workflow. The table only grows (a number, once given, means one text for the file's lifetime), and it is
/// bounded: beyond <see cref="MaxCount"/> strings, or for a string longer than <see cref="MaxLength"/>, the text is
/// written inline as before. A number is given inside the batch that first writes it and stored in that batch's
/// transaction, so a document in the file never refers to a number the file lacks (<see cref="Committed"/>,
/// <see cref="RolledBack"/>).
/// </summary>
internal sealed class RunStrings
{
    public const int MaxCount = 1 << 16;
    public const int MaxLength = 512;

    private readonly Lock gate = new();
    private readonly Dictionary<string, int> numbers = new(StringComparer.Ordinal);
    private readonly List<string> texts = [];
    private int committed;
    // Most texts are the same string objects run after run (the definition's names, the engine's codes): a small table by
    // reference answers them without hashing their characters and without the lock (bounded: a slot keeps the last text
    // that landed in it). Only NumberOf and RolledBack touch it, and only one thread at a time calls them (the store's
    // writes, under its gate); readers of the texts (Text, Load) never do.
    private readonly (string? Text, int Number)[] byReference = new (string?, int)[1024];

    /// <summary>How many strings the table holds (those of the batch being written included).</summary>
    public int Count
    {
        get { lock (gate) return texts.Count; }
    }

    /// <summary>The number of <paramref name="text"/>, given now when it has none and there is room; -1 when the text is
    /// to be written inline. Called by one thread at a time (the run store writes under its gate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int NumberOf(string text)
    {
        if (text.Length > MaxLength) return -1;
        var slot = RuntimeHelpers.GetHashCode(text) & (byReference.Length - 1);
        if (ReferenceEquals(byReference[slot].Text, text)) return byReference[slot].Number;
        lock (gate)
        {
            if (!numbers.TryGetValue(text, out var number))
            {
                if (texts.Count >= MaxCount) return -1;
                number = texts.Count;
                texts.Add(text);
                numbers[text] = number;
            }
            byReference[slot] = (text, number);
            return number;
        }
    }

    /// <summary>The text of <paramref name="number"/>.</summary>
    public string Text(int number)
    {
        lock (gate)
        {
            return (uint)number < (uint)texts.Count
                ? texts[number]
                : throw new InvalidDataException($"A run document refers to string {number}, and the run store holds {texts.Count}.");
        }
    }

    /// <summary>The strings numbered since the last commit (to be stored with the batch that numbered them).</summary>
    public List<(int Number, string Text)> Pending()
    {
        lock (gate)
        {
            var pending = new List<(int, string)>(texts.Count - committed);
            for (var i = committed; i < texts.Count; i++) pending.Add((i, texts[i]));
            return pending;
        }
    }

    /// <summary>The batch that stored the pending strings committed.</summary>
    public void Committed()
    {
        lock (gate) committed = texts.Count;
    }

    /// <summary>The batch failed: the numbers it gave are not in the file, so they are forgotten (the next batch gives them again).</summary>
    public void RolledBack()
    {
        lock (gate)
        {
            for (var i = committed; i < texts.Count; i++) numbers.Remove(texts[i]);
            texts.RemoveRange(committed, texts.Count - committed);
            for (var slot = 0; slot < byReference.Length; slot++)
            {
                if (byReference[slot].Number >= committed) byReference[slot] = default;
            }
        }
    }

    /// <summary>Adds the strings read from the file, numbered from <see cref="Count"/> on (numbers are given in order
    /// and never removed, so the file's table is a prefix-closed list).</summary>
    public void Load(IEnumerable<(long Number, string Text)> stored)
    {
        lock (gate)
        {
            foreach (var (number, text) in stored)
            {
                if (number != texts.Count) throw new InvalidDataException($"The run store's string table is damaged: string {number} follows {texts.Count - 1}.");
                numbers.TryAdd(text, texts.Count);
                texts.Add(text);
            }
            committed = texts.Count;
        }
    }
}
