using System.Collections.Concurrent;

namespace LocalLogicApp.StandIns.State;

/// <summary>
/// One instance of each string that repeats across the records the stand-ins keep (SKUs, materials, item numbers,
/// sales areas), so a day's kept orders do not hold a copy per line. It replaces <see cref="string.Intern"/>, which
/// hashes into the runtime's process-wide table under its lock on every call (0.4 % of a simulated day's CPU) and never
/// forgets. Bounded: past <see cref="Capacity"/> distinct strings a new one is returned as it is (still correct, only not
/// shared).
/// </summary>
internal static class SharedStrings
{
    public const int Capacity = 100_000;

    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);
    private static int count;

    public static string Of(string value)
    {
        if (Pool.TryGetValue(value, out var shared)) return shared;
        if (Volatile.Read(ref count) >= Capacity) return value;
        if (Pool.TryAdd(value, value))
        {
            Interlocked.Increment(ref count);
            return value;
        }
        return Pool.TryGetValue(value, out shared) ? shared : value;
    }
}
