namespace Cli;

/// <summary>A verb's scratch folder under the system's temporary folder, removed when disposed and also when the process
/// ends without disposing it (Ctrl+C ends a benchmark with <see cref="StopSignal.EndOnSignal"/>, which runs the
/// process-exit handlers but no finally block).</summary>
public sealed class TemporaryFolder : IDisposable
{
    private readonly EventHandler onExit;

    public TemporaryFolder(string prefix)
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        onExit = (_, _) => Remove();
        AppDomain.CurrentDomain.ProcessExit += onExit;
    }

    public string Path { get; }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= onExit;
        Remove();
    }

    private void Remove()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove the temporary folder {Path}: {ex.Message}");
        }
    }
}
