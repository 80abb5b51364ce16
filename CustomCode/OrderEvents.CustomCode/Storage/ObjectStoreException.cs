namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// Storage failed for a reason other than a lost race (which the <see cref="IObjectStore"/> methods report as
/// false): the service refused the request, the path is unusable, a lock could not be taken. The message names
/// the operation, the object, the status and the service's error code; it never carries keys or tokens.
/// </summary>
public sealed class ObjectStoreException(string code, string message, int? status = null, string? requestId = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The service's <c>x-ms-error-code</c> (e.g. <c>AuthorizationFailure</c>) or the store's own code
    /// (<c>NameConflictsWithFolder</c>, <c>LockTimeout</c>).</summary>
    public string Code { get; } = code;
    /// <summary>HTTP status for the Blob store; null for the file system store.</summary>
    public int? Status { get; } = status;
    /// <summary>The service's <c>x-ms-request-id</c>, for support cases.</summary>
    public string? RequestId { get; } = requestId;
}
