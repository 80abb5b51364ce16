namespace Simulation.Running;

/// <summary>
/// Empties the state folder before a day without making the day wait for it: the previous day's folder (a 100,000-order
/// day leaves about half a million files) is renamed aside at once and removed in the background while the new day runs.
/// Removing it in place took longer than a tenth of the day itself. A folder set aside by a day that was stopped before
/// its removal finished is removed the next time.
/// </summary>
public static class FreshStateFolder
{
    private const string AsideMarker = ".previous-";

    /// <summary>Why <paramref name="folder"/> must not be emptied for a day, or null when it may: it is new, empty, or a
    /// state folder a day has used before (its lock file, <see cref="StateFolderLock.LockFileOf"/>, is beside it). Any
    /// other folder with something in it (a home folder, a project, the state of <c>run</c>) is refused, since
    /// <see cref="PrepareAsync"/> would remove what it holds.</summary>
    public static string? RefusalFor(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full)) return $"'{folder}' is a file; --state takes a folder.";
        if (!Directory.Exists(full) || !Directory.EnumerateFileSystemEntries(full).Any()) return null;
        if (File.Exists(StateFolderLock.LockFileOf(full))) return null;
        return $"'{full}' holds files and no simulated day has used it (no {Path.GetFileName(StateFolderLock.LockFileOf(full))} beside it). " +
               "A day empties its state folder first, so it refuses one that may hold something else: give --state a new or empty folder.";
    }

    /// <summary>Leaves <paramref name="folder"/> empty and returns the removal of what it held (already finished when there
    /// was nothing to remove).</summary>
    public static Task PrepareAsync(string folder, Action<string> log)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var parent = Path.GetDirectoryName(full);
        var aside = new List<string>();
        if (parent is not null && Directory.Exists(parent))
        {
            aside.AddRange(Directory.EnumerateDirectories(parent, Path.GetFileName(full) + AsideMarker + "*"));
        }
        if (Directory.Exists(full))
        {
            var target = $"{full}{AsideMarker}{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
            try
            {
                Directory.Move(full, target);
                aside.Add(target);
            }
            catch (IOException)
            {
                Directory.Delete(full, recursive: true); // cannot be renamed (another volume, in use): removed in place
            }
            catch (UnauthorizedAccessException)
            {
                Directory.Delete(full, recursive: true);
            }
        }
        Directory.CreateDirectory(full);
        if (aside.Count == 0) return Task.CompletedTask;
        log($"removing the previous state in the background ({string.Join(", ", aside.Select(Path.GetFileName))})");
        return Task.Factory.StartNew(() =>
        {
            foreach (var folderAside in aside)
            {
                try
                {
                    Directory.Delete(folderAside, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    log($"could not remove {folderAside}: {ex.Message}");
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
