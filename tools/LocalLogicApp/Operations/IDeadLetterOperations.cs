namespace LocalLogicApp.Operations;

/// <summary>
/// The operator's dead-letter verbs, independent of where the messages live. <see cref="LocalDeadLetterOperations"/>
/// works on the local broker's SQLite state and the local lake folder; an Azure implementation would do the same
/// with Azure.Messaging.ServiceBus (peek <c>&lt;queue&gt;/$deadletterqueue</c>, receive-by-peek-lock and complete,
/// send to the topic) and the Blob API on the lake container, so the CLI verbs stay the same.
/// </summary>
public interface IDeadLetterOperations
{
    Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Sends a copy of the message to the topic with the same business messageId (so every subscriber's
    /// idempotency record applies) and removes the broker-held original; an archived original stays as evidence.</summary>
    Task<ResubmitOutcome> ResubmitAsync(DeadLetter deadLetter, CancellationToken cancellationToken);

    /// <summary>Removes the broker-held dead letters (and with <paramref name="includeArchive"/> the archived ones).</summary>
    Task<int> PurgeAsync(bool includeArchive, CancellationToken cancellationToken);
}

/// <param name="WithinDuplicateWindow">True when the original was published less than the topic's duplicate-detection
/// window ago: the broker will then accept the copy and silently drop it.</param>
public sealed record ResubmitOutcome(string Topic, string? MessageId, bool WithinDuplicateWindow, TimeSpan DuplicateWindow, bool RemovedOriginal);
