using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Recording;
using LocalLogicApp.StandIns.State;

namespace LocalLogicApp.StandIns.Sap;

/// <summary>
/// A fake SAP ERP system that the <c>sap</c> binding talks to directly (no HTTP, as the real connector speaks
/// RFC). It understands the BAPI XML of BAPI_SALESORDER_CREATEFROMDAT2, BAPI_SALESORDER_CHANGE and
/// BAPI_SALESORDER_GETLIST, validates it, refuses a second order with a sold-to party's purchase order number
/// (<see cref="RefuseDuplicatePurchaseOrder"/>, on by default as production's SAP must be configured), numbers sales orders from a deterministic sequence and answers with the BAPI's response XML and RETURN
/// table. Like SAP, a BAPI's changes stay pending in the caller's session until <c>BAPI_TRANSACTION_COMMIT</c>
/// (<see cref="Commit"/>); a call outside a session without auto-commit changes nothing. Every call is
/// counted and the newest <see cref="RecordLimit"/> are kept with their XML; <see cref="Faults"/> injects communication failures and business rejections.
/// </summary>
public sealed class FakeSapSystem : ISapSystem
{
    public const string CallBapiOperation = "bapiCallMethod";
    public const string CommitOperation = "bapiCommit";
    public const string RollbackOperation = "bapiRollback";
    public const string CreateSessionOperation = "createSession";
    public const string CloseSessionOperation = "closeSession";

    private readonly object gate = new();
    private readonly TimeProvider clock;
    /// <summary>Committed sales orders by number, the newest in memory and the others spilled (a day's million orders do
    /// not grow the process), found also by the purchase order number's first 20 characters (GetList's PURCHASE_ORDER; a
    /// superset for the full PURCH_NO_C): the duplicate check and the look-ups read one entry instead of every order,
    /// which made a day's creates quadratic in its orders.</summary>
    private readonly SpillingTable<SapSalesOrder> orders;
    private readonly Dictionary<string, List<SapSalesOrder>> sessions = new(StringComparer.Ordinal);
    private readonly RecentRecords<SapCall> calls = new();
    /// <summary>How BAPI documents are read, under <see cref="gate"/> (one call at a time): one name table for every
    /// call, so the element names, the same in every document, are not made again per call.</summary>
    private readonly XmlReaderSettings readerSettings = BapiElement.CreateReaderSettings();
    private long nextSalesDocument;
    private int nextSession;

    /// <param name="firstSalesDocument">Number of the first sales order (an internal number range).</param>
    /// <param name="ordersInMemory">How many of the newest sales orders stay objects in memory (the others are spilled).</param>
    public FakeSapSystem(TimeProvider? clock = null, long firstSalesDocument = 1_000_001, int ordersInMemory = SpillingTable<SapSalesOrder>.DefaultWindow)
    {
        this.clock = clock ?? TimeProvider.System;
        nextSalesDocument = firstSalesDocument;
        orders = new(ordersInMemory, o => o.PurchaseOrderNumber is { Length: > 0 } po ? SalesOrderBapis.Bstnk(po) : null);
    }

    public FaultPlan<SapFault> Faults { get; } = new();

    /// <summary>Decides a fault for a call the plan leaves alone (random faults of a simulation): operationId → fault or null.</summary>
    public Func<string, SapFault?>? FaultSource { get; set; }

    /// <summary>How many of the newest calls <see cref="Calls"/> keeps with their XML (default
    /// <see cref="RecentRecords{T}.DefaultLimit"/>); every call is counted in <see cref="CallCount"/>. 0 keeps none: a long
    /// simulation listens to <see cref="Committed"/> instead.</summary>
    public int RecordLimit
    {
        get => calls.Limit;
        set => calls.Limit = value;
    }

    /// <summary>Keep calls (the newest <see cref="RecentRecords{T}.DefaultLimit"/>) or none: a shorthand for <see cref="RecordLimit"/>.</summary>
    public bool KeepRecords
    {
        get => RecordLimit > 0;
        set => RecordLimit = value ? RecentRecords<SapCall>.DefaultLimit : 0;
    }

    /// <summary>Raised for every sales order change made permanent (commit or auto-commit), in order, while SAP applies it.</summary>
    public event Action<SapCommit>? Committed;

    private readonly HashSet<string> unknownMaterials = new(StringComparer.Ordinal);

    /// <summary>
    /// The sales document type's duplicate purchase order check ("Check purchase order number" / "Check customer
    /// reference" of the document type, VOV8), set so that SAP refuses, as an error, a create whose PURCH_NO_C the same
    /// sold-to party already used: CREATEFROMDAT2 answers RETURN E <see cref="DuplicatePurchaseOrderMessage"/> and
    /// creates nothing. On by default: a deployment prerequisite of the product (docs/deployment.md, "SAP
    /// prerequisites"), the only thing that stops a resumed run's repeated create.
    /// </summary>
    public bool RefuseDuplicatePurchaseOrder { get; set; } = true;

    /// <summary>Message class and number of the duplicate purchase order refusal (the custom code's default
    /// <c>Sap_DuplicateReferenceMessages</c>, V4/115, to be confirmed with the SAP team).</summary>
    public (string Id, string Number) DuplicatePurchaseOrderMessage { get; set; } = ("V4", "115");

    Task<string> ISapSystem.CreateSessionAsync(CancellationToken cancellationToken) => Task.FromResult(CreateSession());

    Task ISapSystem.CloseSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        CloseSession(sessionId);
        return Task.CompletedTask;
    }

    Task<SapBapiResult> ISapSystem.CallBapiAsync(string? sessionId, string businessObject, string method, string bodyXml, bool autoCommit, CancellationToken cancellationToken) =>
        Task.FromResult(CallBapi(sessionId, businessObject, method, bodyXml, autoCommit));

    Task<string> ISapSystem.CommitAsync(string sessionId, bool wait, bool closeSession, CancellationToken cancellationToken) =>
        Task.FromResult(Commit(sessionId, wait, closeSession));

    Task ISapSystem.RollbackAsync(string sessionId, CancellationToken cancellationToken)
    {
        Rollback(sessionId);
        return Task.CompletedTask;
    }

    /// <summary>Makes SAP not know a material: an order or change with it is refused (RETURN TYPE E, message class M3 305).</summary>
    public void RemoveMaterial(string material)
    {
        lock (gate) unknownMaterials.Add(material);
    }

    /// <summary>Runs at the start of every operation (its operationId given), before SAP does anything: lets a
    /// test make time pass "during" a call, e.g. so a message lock expires while SAP works.</summary>
    public Action<string>? BeforeCall { get; set; }

    /// <summary>Runs after an operation succeeded (its operationId given), before the reply reaches the caller.</summary>
    public Action<string>? AfterCall { get; set; }

    /// <summary>The newest calls (at most <see cref="RecordLimit"/>), in order.</summary>
    public IReadOnlyList<SapCall> Calls => calls.Snapshot();

    /// <summary>Every call received since the start, kept or not.</summary>
    public long CallCount => calls.Total;

    /// <summary>Committed sales orders by number.</summary>
    public IReadOnlyDictionary<string, SapSalesOrder> SalesOrders
    {
        get { lock (gate) return orders.Snapshot(); }
    }

    /// <summary>Committed sales orders carrying this customer purchase order number (PURCH_NO_C): more than
    /// one means the order was created twice.</summary>
    public IReadOnlyList<SapSalesOrder> SalesOrdersForPurchaseOrder(string purchaseOrderNumber)
    {
        lock (gate) return WithPurchaseOrder(purchaseOrderNumber).Where(o => o.PurchaseOrderNumber == purchaseOrderNumber).OrderBy(o => o.SalesDocument, StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyCollection<string> OpenSessions
    {
        get { lock (gate) return sessions.Keys.ToArray(); }
    }

    public string CreateSession()
    {
        BeforeCall?.Invoke(CreateSessionOperation);
        lock (gate)
        {
            ApplyFault(CreateSessionOperation, null, null, null, null, out _);
            var id = "SAPSESSION-" + (++nextSession).ToString("D6", CultureInfo.InvariantCulture);
            sessions[id] = [];
            Record(CreateSessionOperation, id, null, null, null, null, "Succeeded", null, null);
            return id;
        }
    }

    /// <summary>Closes a session; work not committed is discarded (as SAP rolls back at logoff).</summary>
    public void CloseSession(string sessionId)
    {
        BeforeCall?.Invoke(CloseSessionOperation);
        lock (gate)
        {
            ApplyFault(CloseSessionOperation, sessionId, null, null, null, out _);
            RequireSession(sessionId, CloseSessionOperation);
            sessions.Remove(sessionId);
            Record(CloseSessionOperation, sessionId, null, null, null, null, "Succeeded", null, null);
        }
    }

    /// <summary>Runs a BAPI. Business problems come back in the RETURN table of <see cref="SapBapiResult.ResponseXml"/>.</summary>
    /// <exception cref="SapCommunicationException">An injected communication failure.</exception>
    /// <exception cref="SapCallException">Unknown session, unsupported BAPI or XML that does not parse.</exception>
    public SapBapiResult CallBapi(string? sessionId, string businessObject, string method, string bodyXml, bool autoCommit)
    {
        BeforeCall?.Invoke(CallBapiOperation);
        SapBapiResult answer;
        lock (gate)
        {
            var fault = ApplyFault(CallBapiOperation, sessionId, businessObject, method, bodyXml, out var lostReply);
            if (sessionId is not null) RequireSession(sessionId, CallBapiOperation, businessObject, method, bodyXml);

            BapiElement root;
            try
            {
                root = BapiElement.Parse(bodyXml, readerSettings);
            }
            catch (XmlException ex)
            {
                Record(CallBapiOperation, sessionId, businessObject, method, bodyXml, null, "CallError", null, null);
                throw new SapCallException("InvalidXml", $"The BAPI body is not well-formed XML: {ex.Message}");
            }
            var methodName = method.Split(':')[0].Trim();
            if (!string.Equals(businessObject, SalesOrderBapis.BusinessObject, StringComparison.OrdinalIgnoreCase) ||
                !SalesOrderBapis.BapiNames.ContainsKey(methodName) ||
                !string.Equals(root.LocalName, methodName, StringComparison.OrdinalIgnoreCase))
            {
                Record(CallBapiOperation, sessionId, businessObject, method, bodyXml, null, "CallError", null, null);
                throw new SapCallException("BapiNotFound",
                    $"The fake SAP system knows {SalesOrderBapis.BusinessObject}.{string.Join(", ", SalesOrderBapis.BapiNames.Keys)}; " +
                    $"it got business object '{businessObject}', method '{method}' and root element '{root.LocalName}'.");
            }
            answer = methodName.Equals(SalesOrderBapis.GetListMethod, StringComparison.OrdinalIgnoreCase) && fault is not SapFault.Business
                ? ListSalesOrders(sessionId, businessObject, method, bodyXml, fault, lostReply, root)
                : CreateOrChange(sessionId, businessObject, method, bodyXml, autoCommit, fault, lostReply, root, methodName);
        }
        AfterCall?.Invoke(CallBapiOperation);
        return answer;
    }

    /// <summary>GetList: a read, so nothing to commit; it reads the database, so a session's pending work is not listed.</summary>
    private SapBapiResult ListSalesOrders(string? sessionId, string businessObject, string method, string bodyXml, SapFault? fault, bool lostReply, BapiElement root)
    {
        var purchaseOrder = SalesOrderBapis.GetListPurchaseOrder(root);
        var candidates = purchaseOrder is null ? orders.Snapshot().Values : WithPurchaseOrder(purchaseOrder);
        var list = CompactXml.Write(SalesOrderBapis.GetList(root, root.Namespace, candidates));
        Record(CallBapiOperation, sessionId, businessObject, method, bodyXml, list, "Succeeded", null, Describe(fault));
        if (lostReply) throw new SapCommunicationException($"RFC_COMMUNICATION_FAILURE: {((SapFault.Communication)fault!).Detail}");
        return new SapBapiResult(list, null, null, []);
    }

    private SapBapiResult CreateOrChange(string? sessionId, string businessObject, string method, string bodyXml, bool autoCommit, SapFault? fault, bool lostReply,
        BapiElement root, string methodName)
    {
        var ns = root.Namespace;
        SapSalesOrder? result;
        List<SapReturnMessage> messages;
        if (fault is SapFault.Business business)
        {
            (result, messages) = (null, [SapReturnMessage.Error(business.Id, business.Number, business.Message)]);
        }
        else if (methodName.Equals(SalesOrderBapis.CreateMethod, StringComparison.OrdinalIgnoreCase))
        {
            (result, messages) = SalesOrderBapis.ReadCreate(root, clock.GetUtcNow());
            (result, messages) = RefuseUnknownMaterials(result, messages);
            (result, messages) = RefuseDuplicatePurchaseOrderNumber(result, messages);
            if (result is not null)
            {
                result = result with { SalesDocument = (nextSalesDocument++).ToString("D10", CultureInfo.InvariantCulture) };
                messages.Add(SapReturnMessage.Success("V1", "311", $"Standard Order {result.SalesDocument.TrimStart('0')} has been saved", "SALES_HEADER_IN"));
            }
        }
        else
        {
            (result, messages) = SalesOrderBapis.ReadChange(root, FindIncludingPending(sessionId));
            (result, messages) = RefuseUnknownMaterials(result, messages);
            if (result is not null)
            {
                messages.Add(SapReturnMessage.Success("V1", "311", $"Standard Order {result.SalesDocument.TrimStart('0')} has been saved"));
            }
        }

        var response = new XElement(ns + (root.LocalName + "Response"));
        if (methodName.Equals(SalesOrderBapis.CreateMethod, StringComparison.OrdinalIgnoreCase) || result is not null)
        {
            response.Add(new XElement(ns + "SALESDOCUMENT", result?.SalesDocument ?? ""));
        }
        response.Add(new XElement(ns + "RETURN", messages.Select(m => m.ToXml(ns))));

        string? commitXml = null;
        if (result is not null)
        {
            // A change that changes nothing (the same quantities or rejections again, as a repeated CHANGE sends) leaves
            // the order as it was: nothing to make permanent.
            if (autoCommit && !Unchanged(result)) Store(result);
            else if (sessionId is not null) sessions[sessionId].Add(result);
            if (autoCommit) commitXml = CommitResponse(ns, [SapReturnMessage.Success("", "000", "")]);
        }
        var outcome = result is null ? "BusinessError" : "Succeeded";
        var responseXml = CompactXml.Write(response);
        Record(CallBapiOperation, sessionId, businessObject, method, bodyXml, responseXml, outcome, result?.SalesDocument, Describe(fault));
        if (lostReply) throw new SapCommunicationException($"RFC_COMMUNICATION_FAILURE: {((SapFault.Communication)fault!).Detail} (the BAPI ran in SAP)");
        return new SapBapiResult(responseXml, commitXml, result?.SalesDocument, messages);
    }

    /// <summary>BAPI_TRANSACTION_COMMIT: makes the session's pending work permanent.</summary>
    public string Commit(string sessionId, bool wait, bool closeSession)
    {
        BeforeCall?.Invoke(CommitOperation);
        string result;
        lock (gate)
        {
            ApplyFault(CommitOperation, sessionId, null, null, null, out var lostReply);
            RequireSession(sessionId, CommitOperation);
            var pending = sessions[sessionId];
            foreach (var order in pending) Store(order);
            var committed = pending.Select(o => o.SalesDocument).ToArray();
            pending.Clear();
            if (closeSession) sessions.Remove(sessionId);
            var xml = CommitResponse(XNamespace.Get("http://Microsoft.LobServices.Sap/2007/03/Rfc/"), [SapReturnMessage.Success("", "000", "")]);
            Record(CommitOperation, sessionId, null, null, null, xml, "Succeeded", string.Join(",", committed), null);
            if (lostReply) throw new SapCommunicationException("RFC_COMMUNICATION_FAILURE: connection lost while receiving the commit reply (the commit happened)");
            result = xml;
        }
        AfterCall?.Invoke(CommitOperation);
        return result;
    }

    /// <summary>BAPI_TRANSACTION_ROLLBACK: drops the session's pending work.</summary>
    public void Rollback(string sessionId)
    {
        BeforeCall?.Invoke(RollbackOperation);
        lock (gate)
        {
            ApplyFault(RollbackOperation, sessionId, null, null, null, out _);
            RequireSession(sessionId, RollbackOperation);
            sessions[sessionId].Clear();
            Record(RollbackOperation, sessionId, null, null, null, null, "Succeeded", null, null);
        }
    }

    private Func<string, SapSalesOrder?> FindIncludingPending(string? sessionId) => number =>
        (sessionId is not null && sessions.TryGetValue(sessionId, out var pending) ? pending.LastOrDefault(o => o.SalesDocument == number) : null)
        ?? (orders.TryGetValue(number, out var order) ? order : null);

    private void Store(SapSalesOrder order)
    {
        orders.TryGetValue(order.SalesDocument, out var before);
        orders.Set(order.SalesDocument, order);
        if (Committed is null) return;
        // A change to an order already cancelled (new quantities on rejected items) is a change, not a second cancellation.
        var kind = before is null ? SapCommitKind.Created
            : order.Status != SapSalesOrder.Open && before.Status == SapSalesOrder.Open ? SapCommitKind.Cancelled
            : SapCommitKind.Changed;
        Committed(new SapCommit(order.SalesDocument, order.PurchaseOrderNumber, kind, order.ChangeCount));
    }

    private (SapSalesOrder?, List<SapReturnMessage>) RefuseUnknownMaterials(SapSalesOrder? result, List<SapReturnMessage> messages)
    {
        if (result is null || unknownMaterials.Count == 0) return (result, messages);
        var unknown = result.Items.FirstOrDefault(i => unknownMaterials.Contains(i.Material));
        if (unknown is null) return (result, messages);
        return (null, [SapReturnMessage.Error("M3", "305", $"Material {unknown.Material} does not exist", "ORDER_ITEMS_IN", 1, "MATERIAL")]);
    }

    private bool Unchanged(SapSalesOrder changed) =>
        orders.TryGetValue(changed.SalesDocument, out var before) && before.Status == changed.Status && before.Items.SequenceEqual(changed.Items);

    /// <summary>The committed orders whose purchase order number starts like this one (its first 20 characters).</summary>
    private IEnumerable<SapSalesOrder> WithPurchaseOrder(string purchaseOrderNumber) =>
        orders.KeysWithSecondary(SalesOrderBapis.Bstnk(purchaseOrderNumber)).Order(StringComparer.Ordinal)
            .Select(d => orders.TryGetValue(d, out var order) ? order : throw new InvalidOperationException($"Sales document {d} is indexed but not stored."));

    private (SapSalesOrder?, List<SapReturnMessage>) RefuseDuplicatePurchaseOrderNumber(SapSalesOrder? result, List<SapReturnMessage> messages)
    {
        if (result is null || !RefuseDuplicatePurchaseOrder || string.IsNullOrEmpty(result.PurchaseOrderNumber)) return (result, messages);
        var soldTo = SalesOrderBapis.Normalize(result.SoldToParty);
        var existing = WithPurchaseOrder(result.PurchaseOrderNumber).FirstOrDefault(o => o.Status != SapSalesOrder.Deleted && o.PurchaseOrderNumber == result.PurchaseOrderNumber
                                                         && SalesOrderBapis.Normalize(o.SoldToParty) == soldTo);
        if (existing is null) return (result, messages);
        var (id, number) = DuplicatePurchaseOrderMessage;
        return (null, [SapReturnMessage.Error(id, number,
            $"Purchase order number {result.PurchaseOrderNumber} already exists in sales document {existing.SalesDocument.TrimStart('0')}", "ORDER_HEADER_IN", 0, "PURCH_NO_C")]);
    }

    private SapFault? ApplyFault(string operation, string? sessionId, string? businessObject, string? method, string? body, out bool lostReply)
    {
        lostReply = false;
        var fault = Faults.OnCall(operation, out _) ?? FaultSource?.Invoke(operation);
        if (fault is SapFault.Communication { AfterWork: false } before)
        {
            Record(operation, sessionId, businessObject, method, body, null, "CommunicationFailure", null, Describe(fault));
            throw new SapCommunicationException($"RFC_COMMUNICATION_FAILURE: {before.Detail}");
        }
        lostReply = fault is SapFault.Communication { AfterWork: true };
        return fault;
    }

    private void RequireSession(string sessionId, string operation, string? businessObject = null, string? method = null, string? body = null)
    {
        if (sessions.ContainsKey(sessionId)) return;
        Record(operation, sessionId, businessObject, method, body, null, "CallError", null, null);
        throw new SapCallException("SessionNotFound", $"The SAP session '{sessionId}' does not exist or was closed.");
    }

    private void Record(string operation, string? sessionId, string? businessObject, string? method, string? request, string? response, string outcome, string? salesDocument, string? fault)
    {
        // Called under the gate, so the number the call gets is the one it is counted as.
        if (calls.Keeps) calls.Add(new SapCall(unchecked((int)(calls.Total + 1)), operation, sessionId, businessObject, method, request, response, outcome, salesDocument, fault, clock.GetUtcNow()));
        else calls.CountOnly();
    }

    private static string CommitResponse(XNamespace ns, IEnumerable<SapReturnMessage> messages) =>
        CompactXml.Write(new XElement(ns + "BAPI_TRANSACTION_COMMITResponse", new XElement(ns + "RETURN", messages.Select(m => m.ToXml(ns)))));

    private static string? Describe(SapFault? fault) => fault switch
    {
        SapFault.Communication { AfterWork: true } c => $"reply lost: {c.Detail}",
        SapFault.Communication c => $"communication failure: {c.Detail}",
        SapFault.Business b => $"business error: {b.Message}",
        _ => null,
    };
}

/// <param name="ResponseXml">The BAPI's response document (SALESDOCUMENT, RETURN).</param>
/// <param name="AutoCommitResponseXml">BAPI_TRANSACTION_COMMIT's response when auto-commit ran.</param>
public sealed record SapBapiResult(string ResponseXml, string? AutoCommitResponseXml, string? SalesDocument, IReadOnlyList<SapReturnMessage> Return)
{
    public bool HasErrors => Return.Any(r => r.IsError);
}
