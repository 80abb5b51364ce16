using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;

namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// The embedded default <see cref="IObjectStore"/>: a folder on the local disk.
/// <list type="bullet">
/// <item><c>{root}/{container}/{name}</c> holds the content byte for byte ('/' in a name makes subfolders), so the
/// lake can be browsed with ordinary tools.</item>
/// <item><c>{root}/.metadata/{container}/{name}.meta</c> (sidecar) holds the content type and ETag of the current
/// version and of the one before it.</item>
/// <item><c>{root}/.locks/{container}/{name}.lock</c> serializes the writers of one object across threads and
/// processes: it is opened with <see cref="FileShare.None"/>, which .NET turns into an exclusive lock (Windows share
/// mode; <c>flock</c> on Linux and macOS). Lock files stay after use: deleting one while another writer waits on it
/// would let two writers hold locks on two different files of the same name.</item>
/// <item><c>{root}/.tmp/</c> receives new content before it is renamed into place; a rename within one volume is
/// atomic, so readers see the old or the new content, never a partial one.</item>
/// </list>
/// The ETag is a hash of content type and content, so it changes whenever the object does (replacing an object
/// with identical content and type keeps the ETag, and If-Match then rightly sees no change). Writers first write the
/// sidecar and then rename the content into place (the commit point), both under the lock. A reader that takes no
/// lock accepts the content only when its hash matches one of the two sidecar entries, retries when a writer is
/// between its two steps, and finally reads under the lock, which also repairs what a crashed writer left behind.
/// Readers open files with <see cref="FileShare.Delete"/> so a writer can replace a file that is being read
/// (Windows). Writes are not flushed to the device: a process crash loses nothing, a power cut may.
/// Names are containers and objects as <see cref="ObjectNames"/> defines them; one name cannot be both an object
/// and a folder of other objects (like ADLS Gen2 with a hierarchical namespace).
/// </summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const string MetadataFolder = ".metadata";
    private const string LocksFolder = ".locks";
    private const string TempFolder = ".tmp";
    private const string DefaultContentType = "application/octet-stream";
    private const int UnlockedReadAttempts = 4;

    private readonly TimeSpan lockTimeout;

    public FileSystemObjectStore(string rootDirectory, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        this.lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
        Directory.CreateDirectory(Path.Combine(RootDirectory, TempFolder));
    }

    public string RootDirectory { get; }

    public async Task<bool> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        var paths = Resolve(container, name);
        using var objectLock = await AcquireLockAsync(paths, cancellationToken).ConfigureAwait(false);
        EnsureNotAFolder(paths);
        if (File.Exists(paths.Content))
        {
            return false;
        }
        CreateParentFolder(paths, paths.Content);
        var version = new VersionEntry(contentType, ETagOf(contentType, content.Span));
        WriteAtomically(paths.Metadata, Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(new Sidecar(version, null))));
        var temp = WriteTemp(content.Span);
        try
        {
            // overwrite:false is the create-if-absent commit even for a writer that bypassed the lock.
            File.Move(temp, paths.Content, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(paths.Content))
        {
            File.Delete(temp);
            return false;
        }
    }

    public async Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var paths = Resolve(container, name);
        for (var attempt = 0; attempt < UnlockedReadAttempts; attempt++)
        {
            if (TryReadConsistent(paths, out var stored))
            {
                return stored;
            }
            // A writer is between writing the sidecar and renaming the content: give it a moment.
            await Task.Delay(attempt, cancellationToken).ConfigureAwait(false);
        }
        using var objectLock = await AcquireLockAsync(paths, cancellationToken).ConfigureAwait(false);
        return ReadUnderLock(paths);
    }

    public async Task<bool> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        var paths = Resolve(container, name);
        using var objectLock = await AcquireLockAsync(paths, cancellationToken).ConfigureAwait(false);
        var current = ReadUnderLock(paths);
        if (current is null || current.ETag != ifMatchETag)
        {
            return false;
        }
        var version = new VersionEntry(contentType, ETagOf(contentType, content.Span));
        var sidecar = new Sidecar(version, new VersionEntry(current.ContentType, current.ETag));
        WriteAtomically(paths.Metadata, Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(sidecar)));
        File.Move(WriteTemp(content.Span), paths.Content, overwrite: true);
        return true;
    }

    public async Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        var paths = Resolve(container, name);
        using var objectLock = await AcquireLockAsync(paths, cancellationToken).ConfigureAwait(false);
        var current = ReadUnderLock(paths);
        if (current is null || current.ETag != ifMatchETag)
        {
            return false;
        }
        File.Delete(paths.Content);
        File.Delete(paths.Metadata);
        return true;
    }

    public async IAsyncEnumerable<string> ListAsync(string container, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectNames.ValidateContainer(container);
        ArgumentNullException.ThrowIfNull(prefix);
        var folder = Path.Combine(RootDirectory, container);
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        var names = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToList();
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return name;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>The ETag of a version: content length and a SHA-256 over content type and content.</summary>
    internal static string ETagOf(string contentType, ReadOnlySpan<byte> content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(contentType));
        hash.AppendData(new byte[] { 0 });
        hash.AppendData(content);
        return $"\"{content.Length:x}-{Convert.ToHexString(hash.GetHashAndReset(), 0, 16).ToLowerInvariant()}\"";
    }

    private bool TryReadConsistent(ObjectPaths paths, out StoredObject? stored)
    {
        stored = null;
        var content = TryReadFile(paths.Content);
        if (content is null)
        {
            return true;
        }
        var sidecar = TryReadSidecar(paths);
        var version = sidecar?.Versions().FirstOrDefault(v => v.ETag == ETagOf(v.ContentType, content));
        if (version is null)
        {
            return false;
        }
        stored = new StoredObject(content, version.ETag, version.ContentType);
        return true;
    }

    /// <summary>Reads with the lock held: no writer is active, so a mismatch is what a crashed writer left. The
    /// content (renamed last) is the truth; its type is lost only if the sidecar itself was lost.</summary>
    private StoredObject? ReadUnderLock(ObjectPaths paths)
    {
        if (TryReadConsistent(paths, out var stored))
        {
            return stored;
        }
        var content = TryReadFile(paths.Content);
        if (content is null)
        {
            return null;
        }
        var repaired = new VersionEntry(DefaultContentType, ETagOf(DefaultContentType, content));
        WriteAtomically(paths.Metadata, Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(new Sidecar(repaired, null))));
        return new StoredObject(content, repaired.ETag, repaired.ContentType);
    }

    private static Sidecar? TryReadSidecar(ObjectPaths paths)
    {
        var bytes = TryReadFile(paths.Metadata);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return JsonConvert.DeserializeObject<Sidecar>(Encoding.UTF8.GetString(bytes));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[]? TryReadFile(string path)
    {
        if (Directory.Exists(path))
        {
            return null;
        }
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, int.MaxValue) : 0);
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = WriteTemp(bytes);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(temp, path, overwrite: true);
    }

    private string WriteTemp(ReadOnlySpan<byte> bytes)
    {
        var temp = Path.Combine(RootDirectory, TempFolder, Guid.NewGuid().ToString("N") + ".tmp");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
        }
        return temp;
    }

    private async Task<FileStream> AcquireLockAsync(ObjectPaths paths, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(paths.Lock)!);
        var started = Stopwatch.GetTimestamp();
        var delayMs = 0;
        while (true)
        {
            try
            {
                return new FileStream(paths.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (Stopwatch.GetElapsedTime(started) > lockTimeout)
                {
                    throw new ObjectStoreException("LockTimeout",
                        $"Could not lock '{paths.Container}/{paths.Name}' within {lockTimeout.TotalSeconds:0.#} s: another writer holds '{paths.Lock}'.", inner: ex);
                }
                await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
                delayMs = Math.Min(delayMs * 2 + 1, 20);
            }
        }
    }

    private static void EnsureNotAFolder(ObjectPaths paths)
    {
        if (Directory.Exists(paths.Content))
        {
            throw new ObjectStoreException("NameConflictsWithFolder",
                $"Cannot create '{paths.Container}/{paths.Name}': objects exist under '{paths.Name}/', and one name cannot be both an object and a folder.");
        }
    }

    private static void CreateParentFolder(ObjectPaths paths, string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (IOException ex)
        {
            throw new ObjectStoreException("NameConflictsWithFolder",
                $"Cannot create '{paths.Container}/{paths.Name}': a part of its path is an existing object, and one name cannot be both an object and a folder.", inner: ex);
        }
    }

    private ObjectPaths Resolve(string container, string name)
    {
        ObjectNames.Validate(container, name);
        if (OperatingSystem.IsWindows())
        {
            ObjectNames.ValidateForWindowsFileSystem(name);
        }
        var relative = Path.Combine(name.Split('/'));
        return new ObjectPaths(
            container,
            name,
            Path.Combine(RootDirectory, container, relative),
            Path.Combine(RootDirectory, MetadataFolder, container, relative + ".meta"),
            Path.Combine(RootDirectory, LocksFolder, container, relative + ".lock"));
    }

    private sealed record ObjectPaths(string Container, string Name, string Content, string Metadata, string Lock);

    private sealed record VersionEntry(string ContentType, string ETag);

    /// <summary>The current version, and the previous one so a reader racing a replace still finds a match.</summary>
    private sealed record Sidecar(VersionEntry Current, VersionEntry? Previous)
    {
        public IEnumerable<VersionEntry> Versions() => Previous is null ? [Current] : [Current, Previous];
    }
}
