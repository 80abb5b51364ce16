using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TestSupport.Azurite;

/// <summary>
/// A real Azurite Blob service for integration tests: <c>tools/node/node_modules/.bin/azurite-blob</c> (installed by
/// <c>bash tools/setup.sh</c>) on loopback, on a free port, with a temporary <c>--location</c>. Tests that need it
/// fail with a clear message when it is missing: CI installs it, so a silent pass would hide a broken setup.
/// </summary>
public sealed class AzuriteBlobProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly string location;
    private readonly StringBuilder output;

    private AzuriteBlobProcess(Process process, string location, int port, StringBuilder output)
    {
        this.process = process;
        this.location = location;
        this.output = output;
        BlobEndpoint = new Uri($"http://127.0.0.1:{port}/devstoreaccount1");
    }

    /// <summary>Path-style endpoint of the development account (<c>http://127.0.0.1:{port}/devstoreaccount1</c>).</summary>
    public Uri BlobEndpoint { get; }

    /// <param name="repositoryRoot">The folder holding OrderIntegration.sln, whose <c>tools/node</c> has Azurite: the
    /// caller finds it (tests and tools each have their own finder).</param>
    public static async Task<AzuriteBlobProcess> StartAsync(string repositoryRoot, CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable(repositoryRoot);
        // A port found free can be taken before Azurite binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var location = Directory.CreateTempSubdirectory("azurite-").FullName;
            var output = new StringBuilder();
            var startInfo = new ProcessStartInfo(executable)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = location,
            };
            foreach (var argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", location, "--skipApiVersionCheck", "--silent", "--disableTelemetry" })
            {
                startInfo.ArgumentList.Add(argument);
            }
            Process process;
            try
            {
                process = Process.Start(startInfo) ?? throw new InvalidOperationException("Process.Start returned null.");
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException($"Azurite could not be started ({executable}): {ex.Message}. It needs Node.js on PATH; run 'bash tools/setup.sh'.", ex);
            }
            process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var azurite = new AzuriteBlobProcess(process, location, port, output);
            if (await azurite.WaitUntilAcceptingAsync(port, cancellationToken).ConfigureAwait(false))
            {
                return azurite;
            }
            var log = azurite.Output();
            await azurite.DisposeAsync().ConfigureAwait(false);
            if (attempt == 3 || !log.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Azurite ({executable}) did not accept connections on 127.0.0.1:{port} within {StartupTimeout.TotalSeconds:0} s. Its output:\n{log}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // already gone, or not killable: nothing more a test can do
        }
        process.Dispose();
        try
        {
            Directory.Delete(location, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by a dying process: the temp folder is cleaned by the OS
        }
    }

    private string Output()
    {
        lock (output) return output.ToString();
    }

    /// <summary>Polls (bounded) until the port accepts a TCP connection, or the process has exited.</summary>
    private async Task<bool> WaitUntilAcceptingAsync(int port, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < StartupTimeout)
        {
            if (process.HasExited)
            {
                return false;
            }
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
        return false;
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string FindExecutable(string repositoryRoot)
    {
        var bin = Path.Combine(repositoryRoot, "tools", "node", "node_modules", ".bin");
        var executable = Path.Combine(bin, OperatingSystem.IsWindows() ? "azurite-blob.cmd" : "azurite-blob");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: {executable} is missing. Run 'bash tools/setup.sh' (it runs 'npm install' in tools/node; CI does the same). Tests against Azurite cannot run without it.");
        }
        return executable;
    }
}
