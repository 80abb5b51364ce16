namespace LocalLogicApp.StandIns.Sap;

/// <summary>
/// The SAP system the <c>sap</c> binding talks to: in this process (<see cref="FakeSapSystem"/>), or in another one
/// through <see cref="SapGatewayClient"/> (a simulation whose host process is killed keeps SAP alive beside it, as the
/// real SAP outlives a Logic App host). Failures are <see cref="SapCommunicationException"/> (RFC lost) and
/// <see cref="SapCallException"/> (a wrong call).
/// </summary>
public interface ISapSystem
{
    Task<string> CreateSessionAsync(CancellationToken cancellationToken);

    Task CloseSessionAsync(string sessionId, CancellationToken cancellationToken);

    Task<SapBapiResult> CallBapiAsync(string? sessionId, string businessObject, string method, string bodyXml, bool autoCommit, CancellationToken cancellationToken);

    Task<string> CommitAsync(string sessionId, bool wait, bool closeSession, CancellationToken cancellationToken);

    Task RollbackAsync(string sessionId, CancellationToken cancellationToken);
}
