using LocalLogicApp.Hosting;
using System.Runtime.InteropServices;
using LocalLogicApp.Reporting;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// <c>run</c>: the whole Logic App locally until Ctrl+C (state in <c>.local/app</c>, so dead letters and
/// idempotency records survive a restart). <c>run --once [--timeout SECONDS]</c>: fresh state in <c>.local/once</c>,
/// post every sample, wait until settled, print the report on stdout (progress on stderr), exit 0 when nothing
/// unexpected happened.
/// </summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(CliArgs args)
    {
        var root = RepositoryRoot.Find();
        using var stop = new CancellationTokenSource();
        // Ctrl+C (SIGINT) and SIGTERM (docker stop, kill) both stop cleanly: runs in flight finish first.
        Action<PosixSignalContext> onSignal = context =>
        {
            context.Cancel = true;
            stop.Cancel();
        };
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
        try
        {
            if (args.Has("once"))
            {
                var timeout = TimeSpan.FromSeconds(args.GetInt("timeout", 120));
                return await OnceRun.RunAsync(root, Console.Out, line => Console.Error.WriteLine("» " + line), timeout, stop.Token);
            }
            return await ServeAsync(root, args, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("Stopped.");
            return 130;
        }
    }

    private static async Task<int> ServeAsync(string root, CliArgs args, CancellationToken stop)
    {
        var state = Path.Combine(ProjectRoot.LocalStateFolder(root), "app");
        await using var host = await LocalLogicAppHost.StartAsync(new LocalHostOptions
        {
            ProjectRoot = root,
            StateFolder = state,
            IntakePort = args.GetInt("port", 0),
            Log = line => Console.Error.WriteLine("» " + line),
        }, stop);
        RunningAppFile.Write(root, host.IntakeUrl, Environment.ProcessId);
        try
        {
            Console.WriteLine(host.IntakeUrl);
            Console.Error.WriteLine("» running; send the samples with: dotnet run --project tools/Cli -- send    (Ctrl+C stops)");
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            Console.Error.WriteLine("» stopping: waiting for runs in progress");
            return 0;
        }
        finally
        {
            RunningAppFile.Delete(root);
        }
    }
}
