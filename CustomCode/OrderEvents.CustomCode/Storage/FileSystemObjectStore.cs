using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// An <see cref="IObjectStore"/> in a folder on the local disk, <b>one file per object</b>: the library's default on a
/// developer machine (<c>Storage_Provider=FileSystem</c>, what the Logic Apps host uses there unless told otherwise), and
/// the local runtime's choice when asked for (its own default is the SQLite store in tools/ObjectStore.Local, which
/// costs a fraction of this one per write: a new file and a rename per write is the kernel's dearest work).
/// <list type="bullet">
/// <item><c>{root}/{container}/{name}</c> is the object ('/' in a name makes subfolders). When the content type is
/// the one the name implies (<c>application/json</c> for <c>*.json</c>, <c>application/octet-stream</c> otherwise),
/// which is every object this product writes, the file is the content byte for byte, so the lake and the
/// idempotency records can be read with ordinary tools. Any other content type is kept in a one-line header
/// (<c>\0objectstore/1 {type}\n</c>) before the content; content that itself starts with a NUL byte gets the header
/// too, so a file is never ambiguous.</item>
/// <item>A write goes to <c>{root}/.tmp/</c> first and is renamed into place: a rename within one volume is atomic,
/// so a reader (which takes no lock) sees the old or the new file, never a partial one, and a process killed at any
/// point leaves either the old or the new object (and perhaps a temp file, removed on a later start).</item>
/// <item>Writers (create, If-Match replace, If-Match delete) hold the lock of the object's stripe: one of
/// <see cref="LockStripes"/> files in <c>{root}/.locks/</c>, opened with <see cref="FileShare.None"/>, which .NET
/// makes an exclusive lock (share mode on Windows, <c>flock</c> on Linux and macOS) that holds between processes and
/// that the OS drops when a process dies; within a process a semaphore per stripe queues writers first. So "compare,
/// then write" is atomic across threads and processes, and the number of lock files is fixed whatever the number of
/// objects. (.NET's <c>File.Move(overwrite: false)</c> alone is not a create-if-absent on Linux: it checks, then
/// renames.)</item>
/// </list>
/// The ETag is the content length and a SHA-256 over content type and content, so it changes whenever the object
/// does (rewriting identical content and type keeps it: If-Match then rightly sees no change). Nothing is fsynced:
/// a killed process loses nothing that was acknowledged; a power cut may lose the last writes.
/// One name cannot be both an object and a folder of other objects (like ADLS Gen2 with a hierarchical namespace).
/// </summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    /// <summary>How many lock files serialize writers; unrelated names rarely share one.</summary>
    public const int LockStripes = 128;

    private const string LocksFolder = ".locks";
    private const string TempFolder = ".tmp";
    private const string OctetStream = "application/octet-stream";
    private const string Json = "application/json";
    private static readonly TimeSpan AbandonedTempAge = TimeSpan.FromHours(1);
    private static readonly byte[] HeaderMagic = "\0objectstore/1 "u8.ToArray();

    private readonly TimeSpan lockTimeout;
    private readonly SemaphoreSlim[] stripes = Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly string tempFolder;

    public FileSystemObjectStore(string rootDirectory, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        this.lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
        tempFolder = Path.Combine(RootDirectory, TempFolder);
        Directory.CreateDirectory(tempFolder);
        Directory.CreateDirectory(Path.Combine(RootDirectory, LocksFolder));
        RemoveAbandonedTempFiles();
    }

    public string RootDirectory { get; }

    public async Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        var path = Resolve(container, name);
        ObjectNames.ValidateContentType(contentType);
        using var held = await LockAsync(container, name, cancellationToken).ConfigureAwait(false);
        EnsureNotAFolder(container, name, path);
        if (File.Exists(path))
        {
            return null;
        }
        CreateParentFolder(container, name, path);
        Commit(WriteTemp(name, content.Span, contentType), path);
        return ETagOf(contentType, content.Span);
    }

    public Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var path = Resolve(container, name);
        return Task.FromResult(TryRead(name, path));
    }

    public async Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        var path = Resolve(container, name);
        ObjectNames.ValidateContentType(contentType);
        using var held = await LockAsync(container, name, cancellationToken).ConfigureAwait(false);
        if (TryRead(name, path) is not { } current || current.ETag != ifMatchETag)
        {
            return null;
        }
        Commit(WriteTemp(name, content.Span, contentType), path);
        return ETagOf(contentType, content.Span);
    }

    public async Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        var path = Resolve(container, name);
        using var held = await LockAsync(container, name, cancellationToken).ConfigureAwait(false);
        if (TryRead(name, path) is not { } current || current.ETag != ifMatchETag)
        {
            return false;
        }
        File.Delete(path);
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
        hash.AppendData([0]);
        hash.AppendData(content);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return $"\"{content.Length:x}-{Convert.ToHexString(digest[..16]).ToLowerInvariant()}\"";
    }

    /// <summary>The content type a name implies, stored without a header.</summary>
    internal static string ImpliedContentType(string name) =>
        name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Json : OctetStream;

    /// <summary>The lock file a writer of this object holds (tests hold it to simulate another process).</summary>
    internal string LockFileOf(string container, string name) =>
        Path.Combine(RootDirectory, LocksFolder, $"stripe-{StripeOf(container, name):x2}.lock");

    private static StoredObject? TryRead(string name, string path)
    {
        byte[] bytes;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // A committed file is never written again (writers rename new files over it), so its length is final.
            bytes = new byte[RandomAccess.GetLength(handle)];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0) break;
                read += n;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return null; // a folder of objects is not an object
        }
        var (contentType, offset) = ReadHeader(name, bytes);
        var content = bytes.AsMemory(offset);
        return new StoredObject(content, ETagOf(contentType, content.Span), contentType);
    }

    private static (string ContentType, int ContentOffset) ReadHeader(string name, byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith(HeaderMagic))
        {
            var end = bytes.AsSpan(HeaderMagic.Length).IndexOf((byte)'\n');
            if (end >= 0)
            {
                return (Encoding.UTF8.GetString(bytes, HeaderMagic.Length, end), HeaderMagic.Length + end + 1);
            }
        }
        // No header of ours (also a file put there by hand): the whole file is the content.
        return (ImpliedContentType(name), 0);
    }

    private string WriteTemp(string name, ReadOnlySpan<byte> content, string contentType)
    {
        var temp = Path.Combine(tempFolder, Guid.NewGuid().ToString("N"));
        using var handle = OpenCreatingFolder(temp, FileMode.CreateNew, FileAccess.Write);
        long offset = 0;
        if (contentType != ImpliedContentType(name) || (content.Length > 0 && content[0] == 0))
        {
            var header = new byte[HeaderMagic.Length + Encoding.UTF8.GetByteCount(contentType) + 1];
            HeaderMagic.CopyTo(header, 0);
            Encoding.UTF8.GetBytes(contentType, header.AsSpan(HeaderMagic.Length));
            header[^1] = (byte)'\n';
            RandomAccess.Write(handle, header, offset);
            offset = header.Length;
        }
        RandomAccess.Write(handle, content, offset);
        return temp;
    }

    /// <summary>Renames the temp file over the object's path: the commit point (the caller holds the stripe lock).</summary>
    private static void Commit(string temp, string path)
    {
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private async Task<IDisposable> LockAsync(string container, string name, CancellationToken cancellationToken)
    {
        var stripe = StripeOf(container, name);
        var started = Stopwatch.GetTimestamp();
        if (!await stripes[stripe].WaitAsync(lockTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw LockTimeout(container, name, null);
        }
        try
        {
            var lockFile = LockFileOf(container, name);
            var delayMs = 0;
            while (true)
            {
                try
                {
                    return new HeldLock(stripes[stripe], OpenCreatingFolder(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite));
                }
                catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
                {
                    // Another process holds the stripe.
                    if (Stopwatch.GetElapsedTime(started) > lockTimeout)
                    {
                        throw LockTimeout(container, name, ex);
                    }
                    await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
                    delayMs = Math.Min(delayMs * 2 + 1, 20);
                }
            }
        }
        catch
        {
            stripes[stripe].Release();
            throw;
        }
    }

    /// <summary>Opens with <see cref="FileShare.None"/>; recreates the store's own folder (.tmp, .locks) if someone
    /// deleted it while the store runs.</summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenCreatingFolder(string path, FileMode mode, FileAccess access)
    {
        try
        {
            return File.OpenHandle(path, mode, access, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return File.OpenHandle(path, mode, access, FileShare.None);
        }
    }

    private ObjectStoreException LockTimeout(string container, string name, Exception? inner) =>
        new("LockTimeout", $"Could not lock '{container}/{name}' within {lockTimeout.TotalSeconds:0.#} s: another writer holds '{LockFileOf(container, name)}'.", inner: inner);

    /// <summary>FNV-1a over container and name: the same stripe in every process (string hash codes are not).</summary>
    private static int StripeOf(string container, string name)
    {
        var hash = 2166136261u;
        foreach (var c in container)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash = (hash ^ '/') * 16777619u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % LockStripes);
    }

    private void RemoveAbandonedTempFiles()
    {
        foreach (var file in Directory.EnumerateFiles(tempFolder))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > AbandonedTempAge)
                {
                    File.Delete(file);
                }
            }
            catch (IOException)
            {
                // another process is cleaning up too
            }
        }
    }

    private static void EnsureNotAFolder(string container, string name, string path)
    {
        if (Directory.Exists(path))
        {
            throw new ObjectStoreException("NameConflictsWithFolder",
                $"Cannot create '{container}/{name}': objects exist under '{name}/', and one name cannot be both an object and a folder.");
        }
    }

    private static void CreateParentFolder(string container, string name, string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (IOException ex)
        {
            throw new ObjectStoreException("NameConflictsWithFolder",
                $"Cannot create '{container}/{name}': a part of its path is an existing object, and one name cannot be both an object and a folder.", inner: ex);
        }
    }

    private string Resolve(string container, string name)
    {
        ObjectNames.Validate(container, name);
        if (OperatingSystem.IsWindows())
        {
            ObjectNames.ValidateForWindowsFileSystem(name);
        }
        return Path.Combine(RootDirectory, container, Path.Combine(name.Split('/')));
    }

    private sealed class HeldLock(SemaphoreSlim gate, IDisposable lockFile) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            lockFile.Dispose();
            gate.Release();
        }
    }
}
