using System.Net;
using LocalLogicApp.Hosting;
using LocalLogicApp.Reporting;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// <c>run</c>: the whole Logic App locally until Ctrl+C (state in <c>.local/app</c>, so dead letters, idempotency
/// records and run history survive a restart); its broker is also served over AMQP (<c>--amqp-port</c>, default 5672).
/// Ctrl+C stops promptly: runs in flight keep their checkpoint (a Wait is not waited for) and resume on the next start.
/// <c>run --once [--timeout SECONDS]</c>: fresh state in <c>.local/once</c>,
/// post every sample, wait until settled, print the report on stdout (progress on stderr), exit 0 when nothing
/// unexpected happened.
/// </summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(CliArgs args)
    {
        var timeout = TimeSpan.FromSeconds(args.GetInt("timeout", 120, min: 1));
        var intakePort = args.GetInt("port", 0, min: 0, max: IPEndPoint.MaxPort);
        var amqpPort = args.GetInt("amqp-port", ServiceBus.Amqp.Connection.ServiceBusAmqpServer.DefaultPort, min: 0, max: IPEndPoint.MaxPort);
        if (args.Has("once") && (args.Has("port") || args.Has("amqp-port")))
            throw new CliUsageException("--port and --amqp-port are for 'run' without --once ('run --once' listens on a free port and serves no AMQP).");
        if (!args.Has("once") && args.Has("timeout")) throw new CliUsageException("--timeout is for 'run --once' (how long to wait until settled).");
        var root = RepositoryRoot.Find();
        // Ctrl+C and SIGTERM both stop promptly: runs in flight stop where they are and keep their checkpoint in the run
        // history; the next start resumes them.
        using var stop = new StopSignal();
        try
        {
            if (args.Has("once"))
            {
                return await OnceRun.RunAsync(root, Console.Out, line => Console.Error.WriteLine("» " + line), timeout, stop.Token);
            }
            return await ServeAsync(root, intakePort, amqpPort, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsRequested)
        {
            Console.Error.WriteLine("Stopped.");
            return 130;
        }
    }

    /// <summary>Where <c>run</c> keeps its state (broker, runs, the local token issuer's keys).</summary>
    public static string StateFolder(string root) => Path.Combine(ProjectRoot.LocalStateFolder(root), "app");

    private static async Task<int> ServeAsync(string root, int intakePort, int amqpPort, CancellationToken stop)
    {
        var state = StateFolder(root);
        await using var host = await LocalLogicAppHost.StartAsync(new LocalHostOptions
        {
            ProjectRoot = root,
            StateFolder = state,
            IntakePort = intakePort,
            ServiceBusAmqpPort = amqpPort,
            Log = line => Console.Error.WriteLine("» " + line),
        }, stop);
        RunningAppFile.Write(root, host.IntakeUrl, Environment.ProcessId, host.ServiceBusConnectionString);
        try
        {
            Console.WriteLine(host.IntakeUrl);
            Console.Error.WriteLine("» running; send the samples with: dotnet run --project tools/Cli -- send    (Ctrl+C stops)");
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            Console.Error.WriteLine("» stopping: runs in progress keep their checkpoint and resume on the next start");
            return 0;
        }
        finally
        {
            RunningAppFile.Delete(root);
        }
    }
}
