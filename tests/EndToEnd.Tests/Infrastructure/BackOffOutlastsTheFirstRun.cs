using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The engine's wait for a test app on a <see cref="ManualClock"/>, except that a subscriber's InProgressElsewhere
/// back-off (<c>Wait_before_handing_the_message_back</c>, <paramref name="backOff"/>) ends only after the first
/// delivery's run ended. On a manual clock every wait is over at once, so redeliveries would bounce (and move the
/// shared clock on by minutes each) faster than the first run finishes its last few actions; in real time a back-off
/// of minutes outlasts those milliseconds, and this keeps that order.
/// </summary>
internal sealed class BackOffOutlastsTheFirstRun(ManualClock clock, string workflow, TimeSpan backOff)
{
    private readonly TaskCompletionSource backingOff = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource firstRunEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once a redelivery's run entered its back-off.</summary>
    public bool BackingOff => backingOff.Task.IsCompleted;

    public async Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait == backOff)
        {
            backingOff.TrySetResult();
            await firstRunEnded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        await clock.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts watching the app's runs for the end of the first delivery's run.</summary>
    public void Watch(LocalApp app) => app.Host.Engine.RunCompleted += run =>
    {
        if (run.WorkflowName == workflow && LocalApp.DeliveryCountOf(run) == 1) firstRunEnded.TrySetResult();
    };
}
