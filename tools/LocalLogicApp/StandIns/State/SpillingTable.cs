using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace LocalLogicApp.StandIns.State;

/// <summary>
/// What a stand-in keeps as its world (SAP's sales orders, the warehouse's reservations and stored answers), by key: the
/// most recently written <see cref="Window"/> entries as objects in memory, the older ones as JSON in a private temporary
/// SQLite database, so that a day of a million orders costs the process what a day of ten thousand does. A real SAP or
/// warehouse keeps its world on its side; a stand-in that kept every order in memory grew the process by about 2.9 KB per
/// order (heap snapshots in docs/benchmarks-history.md, "Memory"). The database is SQLite's temporary on-disk database (an empty
/// Data Source: "SQLite creates a temporary on-disk database that's deleted when the connection is closed",
/// https://learn.microsoft.com/dotnet/standard/data/sqlite/connection-strings#data-source), opened only when the first
/// entry leaves memory, so tests and short runs never open it. An optional secondary key (SAP's purchase order number)
/// finds entries in both places. Not thread-safe: the stand-in's own lock guards it, as it guarded its dictionaries.
/// </summary>
public sealed class SpillingTable<TValue> : IDisposable where TValue : class
{
    /// <summary>Entries kept as objects: a simulated day's orders in flight (1,000 events at most) and well beyond, so a
    /// day's changes and cancellations almost always find their order in memory.</summary>
    public const int DefaultWindow = 10_000;

    /// <summary>Entries moved out per transaction once the window is full.</summary>
    private const int SpillBatch = 512;

    /// <summary>The spilled-key filter's size: 8 Mbit (1 MB) with <see cref="FilterHashes"/> bits per key, so a key never
    /// spilled is looked up in the database for about 1 in 10,000 look-ups after 200,000 spilled keys, 1 in 40 after a million.</summary>
    private const int FilterBits = 1 << 23;
    private const int FilterHashes = 4;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    private readonly Dictionary<string, Entry> recent = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Generation)> byAge = new();
    private readonly Dictionary<string, HashSet<string>> recentBySecondary = new(StringComparer.Ordinal);
    private readonly Func<TValue, string?>? secondaryKeyOf;
    private SqliteConnection? spilled;
    /// <summary>Which keys may be in the database: a Bloom filter of <see cref="FilterBits"/> bits set for every spilled
    /// key (never cleared: an entry, once spilled, stays in the database). A key it has never seen is not looked up: most
    /// look-ups are of new keys (a warehouse's next idempotency key, SAP's next order), and each was a query.</summary>
    private ulong[]? spilledKeys;
    private long generation;
    private long spilledCount;

    /// <param name="window">How many entries stay objects in memory (at least 1).</param>
    /// <param name="secondaryKeyOf">A second key entries are found by (<see cref="KeysWithSecondary"/>), or null.</param>
    public SpillingTable(int window = DefaultWindow, Func<TValue, string?>? secondaryKeyOf = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Window = window;
        this.secondaryKeyOf = secondaryKeyOf;
    }

    public int Window { get; }

    /// <summary>How many entries live in the database rather than in memory (specs, benchmarks).</summary>
    public long SpilledCount => spilledCount;

    /// <summary>How many entries are objects in memory: at most <see cref="Window"/> and half a spill batch.</summary>
    public int InMemoryCount => recent.Count;

    public bool TryGetValue(string key, out TValue value)
    {
        if (recent.TryGetValue(key, out var entry))
        {
            value = entry.Value;
            return true;
        }
        if (spilled is not null && MayBeSpilled(key, set: false) && Read(key) is { } found)
        {
            value = found;
            return true;
        }
        value = null!;
        return false;
    }

    /// <summary>Adds or replaces the entry of <paramref name="key"/>; it becomes the newest.</summary>
    public void Set(string key, TValue value)
    {
        var secondary = secondaryKeyOf?.Invoke(value);
        if (recent.TryGetValue(key, out var before) && before.Secondary is { } old && old != secondary) Unindex(old, key);
        recent[key] = new Entry(value, secondary, ++generation);
        byAge.Enqueue((key, generation));
        if (secondary is not null)
        {
            if (!recentBySecondary.TryGetValue(secondary, out var keys)) recentBySecondary[secondary] = keys = new HashSet<string>(StringComparer.Ordinal);
            keys.Add(key);
        }
        if (recent.Count > Window + SpillBatch / 2) SpillOldest();
        else if (byAge.Count > 4 * (Window + SpillBatch)) CompactAgeQueue();
    }

    /// <summary>The keys of the entries whose secondary key is <paramref name="secondary"/>, in memory or not.</summary>
    public IReadOnlyCollection<string> KeysWithSecondary(string secondary)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (recentBySecondary.TryGetValue(secondary, out var inMemory)) keys.UnionWith(inMemory);
        if (spilled is null) return keys;
        using var command = spilled.CreateCommand();
        command.CommandText = "SELECT key FROM entries WHERE secondary = $secondary";
        command.Parameters.AddWithValue("$secondary", secondary);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var key = reader.GetString(0);
            // An entry written again since it was spilled is in memory, under its current secondary key.
            if (!recent.ContainsKey(key)) keys.Add(key);
        }
        return keys;
    }

    /// <summary>Every entry, in memory or not, by key (tests, reports: it reads the whole database).</summary>
    public Dictionary<string, TValue> Snapshot()
    {
        var all = new Dictionary<string, TValue>(StringComparer.Ordinal);
        if (spilled is not null)
        {
            using var command = spilled.CreateCommand();
            command.CommandText = "SELECT key, value FROM entries";
            using var reader = command.ExecuteReader();
            while (reader.Read()) all[reader.GetString(0)] = Deserialize((byte[])reader[1]);
        }
        foreach (var (key, entry) in recent) all[key] = entry.Value;
        return all;
    }

    public void Dispose() => spilled?.Dispose();

    /// <summary>Moves the oldest entries beyond the window into the database, in one transaction.</summary>
    private void SpillOldest()
    {
        var connection = spilled ??= Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO entries (key, secondary, value) VALUES ($key, $secondary, $value)";
        var keyParameter = insert.Parameters.Add("$key", SqliteType.Text);
        var secondaryParameter = insert.Parameters.Add("$secondary", SqliteType.Text);
        var valueParameter = insert.Parameters.Add("$value", SqliteType.Blob);
        insert.Prepare();
        while (recent.Count > Window && byAge.TryDequeue(out var aged))
        {
            // A key written again since has a newer place in the queue: this one is stale.
            if (!recent.TryGetValue(aged.Key, out var entry) || entry.Generation != aged.Generation) continue;
            keyParameter.Value = aged.Key;
            secondaryParameter.Value = (object?)entry.Secondary ?? DBNull.Value;
            valueParameter.Value = JsonSerializer.SerializeToUtf8Bytes(entry.Value, Json);
            insert.ExecuteNonQuery();
            MayBeSpilled(aged.Key, set: true);
            recent.Remove(aged.Key);
            if (entry.Secondary is { } secondary) Unindex(secondary, aged.Key);
            spilledCount++;
        }
        transaction.Commit();
    }

    /// <summary>Drops the queue's stale places (keys written many times without the window filling up).</summary>
    private void CompactAgeQueue()
    {
        var live = byAge.Where(a => recent.TryGetValue(a.Key, out var entry) && entry.Generation == a.Generation).ToArray();
        byAge.Clear();
        foreach (var aged in live) byAge.Enqueue(aged);
    }

    private void Unindex(string secondary, string key)
    {
        if (!recentBySecondary.TryGetValue(secondary, out var keys)) return;
        keys.Remove(key);
        if (keys.Count == 0) recentBySecondary.Remove(secondary);
    }

    /// <summary>Whether <paramref name="key"/> may have been spilled (false: certainly not); with <paramref name="set"/>,
    /// records that it was.</summary>
    private bool MayBeSpilled(string key, bool set)
    {
        var filter = spilledKeys ??= new ulong[FilterBits / 64];
        // FNV-1a over the key's characters, 64 bits: two 32-bit halves make the filter's hashes (double hashing).
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        var first = (uint)hash;
        var step = (uint)(hash >> 32) | 1;
        var present = true;
        for (var i = 0; i < FilterHashes; i++)
        {
            var bit = (first + (uint)i * step) & (FilterBits - 1);
            var mask = 1UL << (int)(bit & 63);
            if (set) filter[bit >> 6] |= mask;
            else if ((filter[bit >> 6] & mask) == 0) present = false;
        }
        return present;
    }

    private TValue? Read(string key)
    {
        using var command = spilled!.CreateCommand();
        command.CommandText = "SELECT value FROM entries WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is byte[] bytes ? Deserialize(bytes) : null;
    }

    private static TValue Deserialize(byte[] bytes) =>
        JsonSerializer.Deserialize<TValue>(bytes, Json) ?? throw new InvalidDataException($"A spilled {typeof(TValue).Name} read back as null.");

    private static SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = "", Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // A stand-in's world lives as long as the process: nothing to recover after a crash, so no journal and no sync.
        command.CommandText = """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE entries (key TEXT PRIMARY KEY, secondary TEXT, value BLOB NOT NULL) WITHOUT ROWID;
            CREATE INDEX entries_by_secondary ON entries (secondary) WHERE secondary IS NOT NULL;
            """;
        command.ExecuteNonQuery();
        return connection;
    }

    private readonly record struct Entry(TValue Value, string? Secondary, long Generation);
}
