using System.Runtime.InteropServices;

namespace Cli;

/// <summary>Ctrl+C (SIGINT) and SIGTERM (docker stop, kill) as a cancellation token, so a long-running verb stops
/// cleanly instead of being killed mid-write.</summary>
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

    public CancellationToken Token => stop.Token;

    public bool IsRequested => stop.IsCancellationRequested;

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        stop.Dispose();
    }
}
