namespace LocalLogicApp.StandIns.Sap;

/// <summary>A failure the fake SAP system injects on demand (see <see cref="FakeSapSystem.Faults"/>).</summary>
public abstract record SapFault
{
    /// <summary>Transient: the RFC connection fails before SAP does anything (nothing is created).</summary>
    public static SapFault CommunicationFailure(string detail = "connection to the SAP gateway was reset") => new Communication(detail, AfterWork: false);

    /// <summary>Transient, the dangerous kind: SAP does the work (and commits it when asked to) but the reply is
    /// lost, so the caller sees a failure although the sales order exists.</summary>
    public static SapFault ReplyLost(string detail = "connection lost while receiving the reply") => new Communication(detail, AfterWork: true);

    /// <summary>Business rejection: the BAPI answers with a RETURN row of TYPE E and creates nothing.</summary>
    public static SapFault BusinessError(string message, string id = "V1", string number = "001") => new Business(message, id, number);

    /// <summary>Transient business answer: the document is locked by another user (RETURN E V1 042), which a
    /// retry later usually gets past.</summary>
    public static SapFault DocumentLocked() => new Business("The sales document is currently being processed by another user", "V1", "042");

    public sealed record Communication(string Detail, bool AfterWork) : SapFault;

    public sealed record Business(string Message, string Id, string Number) : SapFault;
}

/// <summary>The RFC layer failed (SAP NCo's <c>RfcCommunicationException</c>): worth retrying.</summary>
public sealed class SapCommunicationException(string message) : Exception(message)
{
    public string ErrorGroup => "RFC_COMMUNICATION_FAILURE";
}

/// <summary>The call itself was wrong (unknown session, unsupported BAPI, malformed XML): not worth retrying.</summary>
public sealed class SapCallException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
