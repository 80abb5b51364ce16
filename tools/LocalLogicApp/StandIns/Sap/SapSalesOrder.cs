namespace LocalLogicApp.StandIns.Sap;

/// <summary>A sales order as the fake SAP system holds it after commit.</summary>
public sealed record SapSalesOrder(
    string SalesDocument,
    string? PurchaseOrderNumber,
    string DocumentType,
    string SalesOrganization,
    string DistributionChannel,
    string Division,
    string SoldToParty,
    IReadOnlyList<SapSalesOrderItem> Items,
    string Status,
    DateTimeOffset CreatedAt,
    int ChangeCount = 0)
{
    public const string Open = "Open";
    public const string Rejected = "Rejected";
    public const string Deleted = "Deleted";
}

/// <param name="RejectionReason">REASON_REJ once the item is cancelled, otherwise null.</param>
public sealed record SapSalesOrderItem(string ItemNumber, string Material, decimal Quantity, string? Unit, string? RejectionReason = null);

/// <summary>One call the fake SAP system received, with what it answered.</summary>
/// <param name="Outcome"><c>Succeeded</c>, <c>BusinessError</c>, <c>CommunicationFailure</c> or <c>CallError</c>.</param>
public sealed record SapCall(
    int Sequence,
    string Operation,
    string? SessionId,
    string? BusinessObject,
    string? Method,
    string? RequestXml,
    string? ResponseXml,
    string Outcome,
    string? SalesDocument,
    string? Fault,
    DateTimeOffset At);

/// <summary>What a commit made permanent for one sales order: created, changed, or cancelled (every item rejected, or deleted).</summary>
public enum SapCommitKind
{
    Created,
    Changed,
    Cancelled,
}

/// <summary>One sales order change made permanent, as <see cref="FakeSapSystem.Committed"/> reports it.</summary>
public sealed record SapCommit(string SalesDocument, string? PurchaseOrderNumber, SapCommitKind Kind, int ChangeCount);
