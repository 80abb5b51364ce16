namespace Simulation.Running;

/// <summary>
/// A day's hold on its state folder, so that a second <c>simulate</c> given the same folder stops with a clear error
/// instead of setting the first day's state aside and deleting it under it (<see cref="FreshStateFolder"/>). The lock is
/// a file beside the folder, <c>{folder}.lock</c> (the folder itself is renamed aside at the start of each day), held open
/// exclusively for the day: .NET takes an advisory <c>flock</c> for <see cref="FileShare.None"/> on Linux and macOS and a
/// sharing lock on Windows, and the operating system releases it when the process ends, killed or not.
/// </summary>
public sealed class StateFolderLock : IDisposable
{
    private readonly FileStream file;

    private StateFolderLock(FileStream file) => this.file = file;

    public static string LockFileOf(string stateFolder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(stateFolder)) + ".lock";

    /// <exception cref="StateFolderInUseException">Another day (in this or another process) holds the folder.</exception>
    public static StateFolderLock Acquire(string stateFolder)
    {
        var path = LockFileOf(stateFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new StateFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new StateFolderInUseException(
                $"Another simulated day is using the state folder {Path.GetFullPath(stateFolder)} (its lock file {path} is held): wait for it to end, " +
                $"or give this one a folder of its own with --state. ({ex.Message})", ex);
        }
    }

    public void Dispose() => file.Dispose();
}

public sealed class StateFolderInUseException(string message, Exception inner) : Exception(message, inner);
