namespace ServiceBus.Amqp.Connection;

/// <summary>Microsoft.Azure.Amqp's link factory speaks the Begin/End pattern; the broker code is task-based.</summary>
internal static class AsyncResults
{
    public static IAsyncResult Begin(Task task, AsyncCallback callback, object state)
    {
        var completion = new TaskCompletionSource(state, TaskCreationOptions.RunContinuationsAsynchronously);
        task.ContinueWith(t =>
        {
            if (t.IsFaulted) completion.TrySetException(t.Exception!.InnerExceptions);
            else if (t.IsCanceled) completion.TrySetCanceled();
            else completion.TrySetResult();
            callback(completion.Task);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return completion.Task;
    }

    public static void End(IAsyncResult result) => ((Task)result).GetAwaiter().GetResult();
}
