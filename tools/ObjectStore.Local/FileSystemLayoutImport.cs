using OrderEvents.CustomCode.Storage;

namespace ObjectStore.Local;

/// <summary>
/// Moves a state folder's custom-code storage from the earlier layout, one file per object under <c>storage/</c>
/// (<see cref="FileSystemObjectStore"/>), into the SQLite store, so that an existing state folder keeps its idempotency
/// records, lake files and claim checks. The objects are copied in chunks of 1,000 (an object the database
/// already has is kept as it is there), and only when all are in is the folder renamed to
/// <c>storage.imported-{UTC time}</c>, never deleted: a process killed before that imports again on its next start, which
/// adds only what is missing. Folders that are no container
/// (the file store's own <c>.tmp</c>, <c>.locks</c>, <c>.metadata</c>) are left out.
/// </summary>
public static class FileSystemLayoutImport
{
    private const int ChunkSize = 1000;

    /// <returns>What was done, for the log, or null when <paramref name="folder"/> holds no objects.</returns>
    public static async Task<string?> ImportIfPresentAsync(string folder, SqliteObjectStore store, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder)) return null;
        var containers = Directory.EnumerateDirectories(folder)
            .Select(Path.GetFileName)
            .Where(name => !name!.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var files = new FileSystemObjectStore(folder);
        var chunk = new List<(string Container, string Name, StoredObject Object)>(ChunkSize);
        var skipped = new List<string>();
        var (found, added) = (0, 0);
        foreach (var container in containers)
        {
            if (!IsValidContainer(container!))
            {
                skipped.Add(container!);
                continue;
            }
            await foreach (var name in files.ListAsync(container!, "", cancellationToken).ConfigureAwait(false))
            {
                if (!ObjectNames.IsValidObjectName(name, out _))
                {
                    skipped.Add($"{container}/{name}");
                    continue;
                }
                if (await files.ReadAsync(container!, name, cancellationToken).ConfigureAwait(false) is not { } stored) continue;
                chunk.Add((container!, name, stored));
                found++;
                if (chunk.Count == ChunkSize)
                {
                    added += await store.ImportAsync(chunk).ConfigureAwait(false);
                    chunk.Clear();
                }
            }
        }
        added += await store.ImportAsync(chunk).ConfigureAwait(false);
        if (found == 0 && skipped.Count == 0) return null;
        var kept = $"{folder.TrimEnd(Path.DirectorySeparatorChar)}.imported-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
        Directory.Move(folder, kept);
        return $"imported {added:N0} of {found:N0} objects from the earlier one-file-per-object layout ({folder}) into {store.Path}"
            + (skipped.Count > 0 ? $"; {skipped.Count} entries with names no store accepts were left out ({string.Join(", ", skipped.Take(5))}{(skipped.Count > 5 ? ", …" : "")})" : "")
            + $"; the old folder is kept as {kept} and can be deleted";
    }

    private static bool IsValidContainer(string container)
    {
        try
        {
            ObjectNames.ValidateContainer(container);
            return true;
        }
        catch (InvalidObjectNameException)
        {
            return false;
        }
    }
}
