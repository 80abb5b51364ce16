using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Recording;
using LocalLogicApp.StandIns.State;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.StandIns.Warehouse;

/// <summary>
/// Plays the warehouse inventory API of <c>Artifacts/OpenApi/warehouse-inventory.openapi.json</c>:
/// <c>POST /reservations</c> (createReservation, 201), <c>PUT /reservations/{orderId}</c> (replaceReservation,
/// 200) and <c>POST /reservations/{orderId}/release</c> (releaseReservation, 200, also when already released).
/// Every write needs an <c>Idempotency-Key</c>: the first successful answer per key is stored and replayed for a
/// retry with the same body (a replayed create answers 200, not 201, and changes nothing); the same key with a
/// different body is 409. Short stock or an unknown SKU is 422. Errors are RFC 7807 problem details with a
/// <c>code</c>. Any path prefix before <c>/reservations</c> (e.g. <c>/api/v1</c>) is accepted.
/// </summary>
public sealed partial class WarehouseStandIn : HttpStandIn
{
    public const string CreateOperation = "createReservation";
    public const string ReplaceOperation = "replaceReservation";
    public const string ReleaseOperation = "releaseReservation";
    public const string GetOperation = "getReservation";

    private readonly object gate = new();
    private readonly Dictionary<string, decimal> available = new(StringComparer.Ordinal);
    private readonly HashSet<string> unknownSkus = new(StringComparer.Ordinal);
    // The world a real warehouse keeps on its side: the newest entries in memory, the others spilled (SpillingTable).
    private readonly SpillingTable<Reservation> reservationsByOrder;
    private readonly SpillingTable<StoredAnswer> idempotency;
    private int storedAnswers;
    private readonly RecentRecords<Reservation> history = new();
    private readonly decimal defaultStockPerSku;

    /// <param name="defaultStockPerSku">Units on hand of a SKU nobody set with <see cref="SetStock"/>.</param>
    /// <param name="entriesInMemory">How many of the newest reservations and stored answers stay objects in memory (the
    /// others are spilled).</param>
    public WarehouseStandIn(TimeProvider? clock = null, decimal defaultStockPerSku = 1000, int entriesInMemory = SpillingTable<Reservation>.DefaultWindow)
        : base("warehouse", clock)
    {
        this.defaultStockPerSku = defaultStockPerSku;
        reservationsByOrder = new(entriesInMemory);
        idempotency = new(entriesInMemory);
    }

    public void SetStock(string sku, decimal units)
    {
        lock (gate)
        {
            available[sku] = units;
            unknownSkus.Remove(sku);
        }
    }

    /// <summary>Makes the warehouse not know a SKU (reservations of it are 422).</summary>
    public void RemoveSku(string sku)
    {
        lock (gate) unknownSkus.Add(sku);
    }

    public decimal StockOf(string sku)
    {
        lock (gate) return available.TryGetValue(sku, out var units) ? units : defaultStockPerSku;
    }

    /// <summary>The current reservation of every order that has one, by order id.</summary>
    public IReadOnlyDictionary<string, Reservation> Reservations
    {
        get { lock (gate) return reservationsByOrder.Snapshot(); }
    }

    /// <summary>Raised for every state change applied (create, replace, release), in order, while it is applied.</summary>
    public event Action<Reservation>? Changed;

    /// <summary>The newest state changes applied (create, replace, release; at most <see cref="HttpStandIn.RecordLimit"/>),
    /// in order: a duplicate would show twice. Empty when <see cref="HttpStandIn.KeepRecords"/> is off.</summary>
    public IReadOnlyList<Reservation> ReservationHistory => history.Snapshot();

    /// <summary>Every state change applied since the start, kept or not.</summary>
    public long ReservationChangeCount => history.Total;

    /// <summary>How many idempotency keys have a stored answer (one per successful write).</summary>
    public int StoredAnswerCount
    {
        get { lock (gate) return storedAnswers; }
    }

    protected override void OnRecordLimitChanged(int limit) => history.Limit = limit;

    protected override string OperationOf(StandInRequest request)
    {
        var path = Normalize(request.Path);
        return (request.Method, path) switch
        {
            ("POST", "/reservations") => CreateOperation,
            ("PUT", _) when ReservationPath().IsMatch(path) => ReplaceOperation,
            ("POST", _) when ReleasePath().IsMatch(path) => ReleaseOperation,
            ("GET", _) when ReservationPath().IsMatch(path) => GetOperation,
            _ => $"{request.Method} {request.Path}",
        };
    }

    protected override Task<StandInResponse> HandleAsync(StandInRequest request, CancellationToken cancellationToken)
    {
        var operation = OperationOf(request);
        var path = Normalize(request.Path);
        lock (gate)
        {
            return Task.FromResult(operation switch
            {
                CreateOperation => Idempotent(request, replayStatus: 200, () => Create(request)),
                ReplaceOperation => Idempotent(request, replayStatus: 200, () => Replace(OrderIdIn(path), request)),
                ReleaseOperation => Idempotent(request, replayStatus: 200, () => Release(OrderIdIn(path), request)),
                GetOperation => reservationsByOrder.TryGetValue(OrderIdIn(path), out var found)
                    ? StandInResponse.Json(200, found.ToJson())
                    : NoReservation(OrderIdIn(path)),
                _ => Problem(404, "NotFound", "Not found", $"No operation answers {request.Method} {request.Path}."),
            });
        }
    }

    /// <summary>Runs a write once per Idempotency-Key. Every write answers, when it succeeds, with the reservation it
    /// produced: the stored answer keeps that (immutable, often the very object <see cref="Reservations"/> holds) and the
    /// fingerprint, not a copy of the response.</summary>
    private StandInResponse Idempotent(StandInRequest request, int replayStatus, Func<(StandInResponse Response, Reservation? Reservation)> execute)
    {
        var key = request.Header("Idempotency-Key");
        if (string.IsNullOrWhiteSpace(key) || !IdempotencyKeyPattern().IsMatch(key))
        {
            return Problem(400, "InvalidIdempotencyKey", "Invalid Idempotency-Key",
                "Every write needs an 'Idempotency-Key' header of 64 lower-case hex characters.");
        }
        var fingerprint = Fingerprint(request);
        if (idempotency.TryGetValue(key, out var stored))
        {
            if (!stored.Fingerprint.AsSpan().SequenceEqual(fingerprint))
            {
                return Problem(409, "IdempotencyKeyReused", "Idempotency key reused",
                    $"The Idempotency-Key '{key}' was already used for a different request; a new request needs a new key.");
            }
            return new StandInResponse(replayStatus, stored.Reservation.ToJson(), stored.Headers());
        }
        var (response, reservation) = execute();
        if (response.StatusCode is >= 200 and < 300)
        {
            idempotency.Set(key, new StoredAnswer(fingerprint, reservation!, response.Headers?.ContainsKey("Location") == true));
            storedAnswers++;
        }
        return response;
    }

    private (StandInResponse, Reservation?) Create(StandInRequest request)
    {
        if (!TryReadReservation(request, out var orderId, out var lines, out var invalid)) return (invalid!, null);
        if (reservationsByOrder.TryGetValue(orderId, out var existing) && existing.Status == Reservation.Reserved)
        {
            return (Problem(409, "AlreadyReserved", "Order already reserved",
                $"Order '{orderId}' already holds a reservation; change it with PUT /reservations/{{orderId}}."), null);
        }
        if (Unfulfillable(lines, credit: []) is { } problem) return (problem, null);
        Take(lines);
        var reservation = Record(new Reservation(orderId, Reservation.Reserved, lines, Clock.GetUtcNow(), "create"));
        return (new StandInResponse(201, reservation.ToJson(), LocationOf(orderId)), reservation);
    }

    private static Dictionary<string, string> LocationOf(string orderId) => new() { ["Location"] = $"/reservations/{Uri.EscapeDataString(orderId)}" };

    private (StandInResponse, Reservation?) Replace(string orderId, StandInRequest request)
    {
        if (!TryReadReservation(request, out var bodyOrderId, out var lines, out var invalid)) return (invalid!, null);
        if (bodyOrderId != orderId)
        {
            return (Problem(400, "InvalidRequest", "Invalid request", $"The body's orderId '{bodyOrderId}' differs from the path's '{orderId}'."), null);
        }
        if (!reservationsByOrder.TryGetValue(orderId, out var existing)) return (NoReservation(orderId), null);
        if (existing.Status != Reservation.Reserved)
        {
            return (Problem(409, "ReservationReleased", "Reservation released", $"The reservation of order '{orderId}' was released; it cannot be changed."), null);
        }
        if (Unfulfillable(lines, credit: existing.Lines) is { } problem) return (problem, null);
        Give(existing.Lines);
        Take(lines);
        var reservation = Record(existing with { Lines = lines, Change = "replace" });
        return (StandInResponse.Json(200, reservation.ToJson()), reservation);
    }

    private (StandInResponse, Reservation?) Release(string orderId, StandInRequest request)
    {
        if (request.JsonBody() is { } body && body is not JObject)
        {
            return (Problem(400, "InvalidRequest", "Invalid request", "The body must be a JSON object ({correlationId, reason})."), null);
        }
        if (!reservationsByOrder.TryGetValue(orderId, out var existing)) return (NoReservation(orderId), null);
        if (existing.Status == Reservation.Released) return (StandInResponse.Json(200, existing.ToJson()), existing);
        Give(existing.Lines);
        var reservation = Record(existing with { Status = Reservation.Released, Change = "release" });
        return (StandInResponse.Json(200, reservation.ToJson()), reservation);
    }

    private bool TryReadReservation(StandInRequest request, out string orderId, out IReadOnlyList<ReservedLine> lines, out StandInResponse? invalid)
    {
        orderId = "";
        lines = [];
        invalid = null;
        if (request.JsonBody() is not JObject body)
        {
            invalid = Problem(400, "InvalidRequest", "Invalid request", "The body must be a JSON object with 'orderId' and 'lines'.");
            return false;
        }
        List<string>? unexpected = null;
        for (var property = body.First as JProperty; property is not null; property = property.Next as JProperty)
        {
            if (property.Name is not ("orderId" or "correlationId" or "lines")) (unexpected ??= []).Add(property.Name);
        }
        if (unexpected is not null)
        {
            invalid = Problem(400, "InvalidRequest", "Invalid request", $"Unknown properties: {string.Join(", ", unexpected)}.");
            return false;
        }
        orderId = body.Value<string>("orderId") ?? "";
        if (orderId.Length is 0 or > 128)
        {
            invalid = Problem(400, "InvalidRequest", "Invalid request", "'orderId' must be 1 to 128 characters.");
            return false;
        }
        if (body["lines"] is not JArray { Count: > 0 } array)
        {
            invalid = Problem(400, "InvalidRequest", "Invalid request", "'lines' must be a non-empty array.");
            return false;
        }
        var read = new List<ReservedLine>();
        for (var i = 0; i < array.Count; i++)
        {
            var sku = array[i].Value<string>("sku");
            var quantity = array[i]["quantity"];
            if (string.IsNullOrWhiteSpace(sku) || sku.Length > 64)
            {
                invalid = Problem(400, "InvalidRequest", "Invalid request", $"'lines[{i}].sku' must be 1 to 64 characters.");
                return false;
            }
            if (quantity is null || quantity.Type is not (JTokenType.Integer or JTokenType.Float) || (decimal)quantity <= 0)
            {
                invalid = Problem(400, "InvalidRequest", "Invalid request", $"'lines[{i}].quantity' must be a number above zero.");
                return false;
            }
            // Article numbers repeat across every order: one string each, not one per line of every reservation kept.
            read.Add(new ReservedLine(SharedStrings.Of(sku), (decimal)quantity));
        }
        lines = read;
        return true;
    }

    /// <summary>Why the lines cannot be reserved (unknown SKUs, or short stock per SKU after <paramref name="credit"/>, the
    /// lines the reservation gives back), or null. Called under <see cref="gate"/>, for every create and replace: loops,
    /// not LINQ groupings, with the SKUs in the order of their first line.</summary>
    private StandInResponse? Unfulfillable(IReadOnlyList<ReservedLine> lines, IReadOnlyList<ReservedLine> credit)
    {
        if (unknownSkus.Count > 0)
        {
            var unknown = lines.Select(l => l.Sku).Where(unknownSkus.Contains).Distinct().ToArray();
            if (unknown.Length > 0)
            {
                return Problem(422, "UnknownSku", "Unknown SKU", $"The warehouse does not stock: {string.Join(", ", unknown)}.");
            }
        }
        var requested = new List<(string Sku, decimal Requested)>(lines.Count);
        var bySku = lines.Count > 16 ? new Dictionary<string, int>(lines.Count, StringComparer.Ordinal) : null;
        foreach (var line in lines)
        {
            var at = bySku is not null ? (bySku.TryGetValue(line.Sku, out var found) ? found : -1) : requested.FindIndex(r => r.Sku == line.Sku);
            if (at < 0)
            {
                bySku?.Add(line.Sku, requested.Count);
                requested.Add((line.Sku, 0m + line.Quantity));
            }
            else
            {
                requested[at] = (line.Sku, requested[at].Requested + line.Quantity);
            }
        }
        List<(string Sku, decimal Requested, decimal Available)>? shortages = null;
        foreach (var (sku, quantity) in requested)
        {
            var credited = 0m;
            foreach (var given in credit)
            {
                if (given.Sku == sku) credited += given.Quantity;
            }
            var onHand = (available.TryGetValue(sku, out var units) ? units : defaultStockPerSku) + credited;
            if (quantity > onHand) (shortages ??= []).Add((sku, quantity, onHand));
        }
        if (shortages is null) return null;
        var problem = ProblemBody(422, "InsufficientStock", "Insufficient stock",
            string.Join("; ", shortages.Select(s => $"SKU '{s.Sku}': {s.Requested} requested, {s.Available} available")));
        problem["shortages"] = new JArray(shortages.Select(s => new JObject { ["sku"] = s.Sku, ["requested"] = s.Requested, ["available"] = s.Available }));
        return new StandInResponse(422, problem, ProblemHeaders);
    }

    private void Take(IEnumerable<ReservedLine> lines)
    {
        foreach (var line in lines) available[line.Sku] = StockOf(line.Sku) - line.Quantity;
    }

    private void Give(IEnumerable<ReservedLine> lines)
    {
        foreach (var line in lines) available[line.Sku] = StockOf(line.Sku) + line.Quantity;
    }

    private Reservation Record(Reservation reservation)
    {
        reservationsByOrder.Set(reservation.OrderId, reservation);
        history.Add(reservation);
        Changed?.Invoke(reservation);
        return reservation;
    }

    private static StandInResponse NoReservation(string orderId) =>
        Problem(404, "ReservationNotFound", "Reservation not found", $"Order '{orderId}' holds no reservation.");

    private static string Normalize(string path)
    {
        var trimmed = path.TrimEnd('/');
        var at = trimmed.IndexOf("/reservations", StringComparison.Ordinal);
        return at > 0 ? trimmed[at..] : trimmed;
    }

    private static string OrderIdIn(string path)
    {
        var match = ReleasePath().Match(path);
        if (!match.Success) match = ReservationPath().Match(path);
        return match.Groups["orderId"].Value;
    }

    private static byte[] Fingerprint(StandInRequest request)
    {
        var canonical = request.JsonBody() is JToken json ? json.ToString(Formatting.None) : request.Body;
        return SHA256.HashData(Encoding.UTF8.GetBytes($"{request.Method} {Normalize(request.Path)}\n{canonical}"));
    }

    private static readonly IReadOnlyDictionary<string, string> ProblemHeaders = new Dictionary<string, string> { ["Content-Type"] = "application/problem+json" };

    private static JObject ProblemBody(int status, string code, string title, string detail) => new()
    {
        ["type"] = $"https://warehouse.example.com/problems/{code}",
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
        ["code"] = code,
    };

    private static StandInResponse Problem(int status, string code, string title, string detail) =>
        new(status, ProblemBody(status, code, title, detail), ProblemHeaders);

    [GeneratedRegex(@"^/reservations/(?<orderId>[^/]+)$")]
    private static partial Regex ReservationPath();

    [GeneratedRegex(@"^/reservations/(?<orderId>[^/]+)/release$")]
    private static partial Regex ReleasePath();

    [GeneratedRegex(@"^[0-9a-f]{64}$")]
    private static partial Regex IdempotencyKeyPattern();

    /// <summary>The first successful answer to an idempotency key, kept compact (a real API keeps one per key, and a
    /// simulated day makes a hundred thousand of them): the request's hash and the reservation the write produced (its
    /// answer body), with whether it answered a <c>Location</c> (a create). Public for the spilled table's JSON only.</summary>
    public sealed record StoredAnswer(byte[] Fingerprint, Reservation Reservation, bool HasLocation)
    {
        public Dictionary<string, string> Headers()
        {
            var headers = HasLocation ? LocationOf(Reservation.OrderId) : [];
            headers["Idempotent-Replayed"] = "true";
            return headers;
        }
    }
}

public sealed record ReservedLine(string Sku, decimal Quantity);

/// <param name="Change">What produced this state: <c>create</c>, <c>replace</c> or <c>release</c>.</param>
public sealed record Reservation(string OrderId, string Status, IReadOnlyList<ReservedLine> Lines, DateTimeOffset At, string Change)
{
    public const string Reserved = "Reserved";
    public const string Released = "Released";

    public JObject ToJson() => new()
    {
        ["orderId"] = OrderId,
        ["status"] = Status,
        ["lines"] = new JArray(Lines.Select(l => new JObject { ["sku"] = l.Sku, ["quantity"] = l.Quantity })),
    };
}
