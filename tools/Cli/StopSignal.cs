using System.Runtime.InteropServices;

namespace Cli;

/// <summary>Ctrl+C (SIGINT) and SIGTERM (docker stop, kill) as a cancellation token, so a long-running verb stops
/// cleanly instead of being killed mid-write. Such a verb says so in its <see cref="Verb.StopsItself"/>; any other verb
/// is ended by <see cref="EndOnSignal"/> with a line saying it did not finish and exit code 130 (128 + SIGINT, the
/// shell's code for a command ended by Ctrl+C).</summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;

    public StopSignal()
    {
        Action<PosixSignalContext> onSignal = context =>
        {
            context.Cancel = true;
            stop.Cancel();
        };
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
    }

    /// <summary>The exit code of a verb stopped by Ctrl+C or SIGTERM before it finished.</summary>
    public const int StoppedExitCode = 130;

    public CancellationToken Token => stop.Token;

    /// <summary>Until disposed, Ctrl+C or SIGTERM ends the process at once with <see cref="StoppedExitCode"/> after
    /// writing that <paramref name="verb"/> did not finish, and runs the process-exit handlers (a benchmark's temporary
    /// folder is removed by one), for a verb with nothing to stop cleanly.</summary>
    public static IDisposable EndOnSignal(string verb, TextWriter errors)
    {
        Action<PosixSignalContext> onSignal = context =>
        {
            context.Cancel = true;
            errors.WriteLine($"Stopped: '{verb}' did not finish.");
            errors.Flush();
            Environment.Exit(StoppedExitCode);
        };
        return new Registrations(PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal));
    }

    private sealed class Registrations(params PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }

    public bool IsRequested => stop.IsCancellationRequested;

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        stop.Dispose();
    }
}
