using TestSupport.Azurite;

namespace OrderEvents.CustomCode.Tests.Azurite;

/// <summary>
/// One Azurite for the test classes that run at the same time: each class acquires it in its ClassInitialize and
/// releases it in its ClassCleanup; the last release stops it (process tree killed). A process-exit hook stops it
/// too if a test run is aborted.
/// </summary>
public static class SharedAzurite
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static AzuriteBlobProcess? running;
    private static int users;

    static SharedAzurite()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => running?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }

    public static async Task<AzuriteBlobProcess> AcquireAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            running ??= await AzuriteBlobProcess.StartAsync(RepositoryRoot.FullPath).ConfigureAwait(false);
            users++;
            return running;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (running is not null && --users == 0)
            {
                await running.DisposeAsync().ConfigureAwait(false);
                running = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>One test class's hold on the shared Azurite: a static field of the class, acquired in its
    /// ClassInitialize and released in its ClassCleanup (only if it was acquired: a failed start releases nothing).</summary>
    public sealed class Hold
    {
        public AzuriteBlobProcess? Process { get; private set; }

        public async Task AcquireAsync() => Process = await SharedAzurite.AcquireAsync().ConfigureAwait(false);

        public async Task ReleaseAsync()
        {
            if (Process is null) return;
            Process = null;
            await SharedAzurite.ReleaseAsync().ConfigureAwait(false);
        }
    }
}
