using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LocalLogicApp.StandIns.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.StandIns.Warehouse;

/// <summary>
/// Plays the warehouse inventory API: reserves stock for an order's lines (<c>POST /reservations</c>),
/// releases it on cancel (<c>DELETE /reservations/{orderId}</c> or <c>POST /reservations/{orderId}/release</c>),
/// answers 409 when stock is short, and honours <c>Idempotency-Key</c>: the same key with the same body
/// replays the stored answer (no second reservation, header <c>Idempotent-Replayed: true</c>); the same key
/// with a different body is refused with 422. Only successful answers are stored, so a retry after a
/// failure runs again. Errors are RFC 9457 problem details.
/// </summary>
public sealed partial class WarehouseStandIn : HttpStandIn
{
    public const string ReserveOperation = "ReserveStock";
    public const string ReleaseOperation = "ReleaseReservation";
    public const string GetReservationOperation = "GetReservation";
    public const string GetStockOperation = "GetStock";

    private readonly object gate = new();
    private readonly Dictionary<string, int> available = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Reservation> reservationsByOrder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredAnswer> idempotency = new(StringComparer.Ordinal);
    private readonly List<Reservation> history = [];
    private readonly int defaultStockPerSku;

    /// <param name="defaultStockPerSku">Units on hand of a SKU nobody set with <see cref="SetStock"/>.</param>
    public WarehouseStandIn(TimeProvider? clock = null, int defaultStockPerSku = 1000) : base("warehouse", clock)
    {
        this.defaultStockPerSku = defaultStockPerSku;
    }

    public void SetStock(string sku, int units)
    {
        lock (gate) available[sku] = units;
    }

    public int StockOf(string sku)
    {
        lock (gate) return available.TryGetValue(sku, out var units) ? units : defaultStockPerSku;
    }

    /// <summary>Reservations that hold stock now, by order id.</summary>
    public IReadOnlyDictionary<string, Reservation> ActiveReservations
    {
        get { lock (gate) return reservationsByOrder.Where(r => r.Value.Status == "Reserved").ToDictionary(r => r.Key, r => r.Value); }
    }

    /// <summary>Every reservation ever made (a duplicate would show here twice).</summary>
    public IReadOnlyList<Reservation> ReservationHistory
    {
        get { lock (gate) return history.ToArray(); }
    }

    protected override string OperationOf(StandInRequest request)
    {
        var path = request.Path.TrimEnd('/');
        return (request.Method, path) switch
        {
            ("POST", "/reservations") => ReserveOperation,
            ("DELETE", _) when ReservationPath().IsMatch(path) => ReleaseOperation,
            ("POST", _) when ReleasePath().IsMatch(path) => ReleaseOperation,
            ("GET", _) when ReservationPath().IsMatch(path) => GetReservationOperation,
            ("GET", _) when StockPath().IsMatch(path) => GetStockOperation,
            _ => $"{request.Method} {request.Path}",
        };
    }

    protected override Task<StandInResponse> HandleAsync(StandInRequest request, CancellationToken cancellationToken)
    {
        var operation = OperationOf(request);
        var path = request.Path.TrimEnd('/');
        lock (gate)
        {
            return Task.FromResult(operation switch
            {
                ReserveOperation => Idempotent(request, () => Reserve(request)),
                ReleaseOperation => Idempotent(request, () => Release(OrderIdIn(path))),
                GetReservationOperation => Get(OrderIdIn(path)),
                GetStockOperation => StandInResponse.Json(200, new JObject { ["sku"] = StockPath().Match(path).Groups["sku"].Value, ["available"] = StockOf(StockPath().Match(path).Groups["sku"].Value) }),
                _ => Problem(404, "not-found", "Not found", $"No operation answers {request.Method} {request.Path}."),
            });
        }
    }

    private StandInResponse Idempotent(StandInRequest request, Func<StandInResponse> execute)
    {
        var key = request.Header("Idempotency-Key");
        if (string.IsNullOrWhiteSpace(key)) return execute();
        var fingerprint = Fingerprint(request);
        if (idempotency.TryGetValue(key, out var stored))
        {
            if (stored.Fingerprint != fingerprint)
            {
                return Problem(422, "idempotency-key-reused", "Idempotency key reused",
                    $"The Idempotency-Key '{key}' was already used for a different request; use a new key for a new request.");
            }
            var replayHeaders = new Dictionary<string, string>(stored.Response.Headers ?? new Dictionary<string, string>()) { ["Idempotent-Replayed"] = "true" };
            return stored.Response with { Body = stored.Response.Body?.DeepClone(), Headers = replayHeaders };
        }
        var response = execute();
        if (response.StatusCode is >= 200 and < 300)
        {
            idempotency[key] = new StoredAnswer(fingerprint, response with { Body = response.Body?.DeepClone() });
        }
        return response;
    }

    private StandInResponse Reserve(StandInRequest request)
    {
        if (request.JsonBody() is not JObject body) return Problem(400, "invalid-request", "Invalid request", "The body must be a JSON object with 'orderId' and 'lines'.");
        var orderId = body.Value<string>("orderId");
        if (string.IsNullOrWhiteSpace(orderId)) return Problem(400, "invalid-request", "Invalid request", "'orderId' is required.");
        if (body["lines"] is not JArray { Count: > 0 } lines) return Problem(400, "invalid-request", "Invalid request", "'lines' must be a non-empty array.");

        var wanted = new List<ReservedLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var sku = lines[i].Value<string>("sku");
            var quantity = lines[i]["quantity"];
            if (string.IsNullOrWhiteSpace(sku)) return Problem(400, "invalid-request", "Invalid request", $"'lines[{i}].sku' is required.");
            if (quantity is null || quantity.Type != JTokenType.Integer || (long)quantity <= 0)
            {
                return Problem(400, "invalid-request", "Invalid request", $"'lines[{i}].quantity' must be a positive whole number.");
            }
            wanted.Add(new ReservedLine(sku, (int)quantity));
        }
        if (reservationsByOrder.TryGetValue(orderId, out var existing) && existing.Status == "Reserved")
        {
            return Problem(409, "already-reserved", "Order already reserved",
                $"Order '{orderId}' already holds reservation '{existing.ReservationId}'; release it before reserving again.");
        }
        var shortages = wanted.GroupBy(l => l.Sku)
            .Select(g => (Sku: g.Key, Requested: g.Sum(l => l.Quantity), Available: StockOf(g.Key)))
            .Where(s => s.Requested > s.Available)
            .ToArray();
        if (shortages.Length > 0)
        {
            var problem = ProblemBody(409, "insufficient-stock", "Insufficient stock",
                string.Join("; ", shortages.Select(s => $"SKU '{s.Sku}': {s.Requested} requested, {s.Available} available")));
            problem["shortages"] = new JArray(shortages.Select(s => new JObject { ["sku"] = s.Sku, ["requested"] = s.Requested, ["available"] = s.Available }));
            return new StandInResponse(409, problem, ProblemHeaders);
        }
        foreach (var line in wanted) available[line.Sku] = StockOf(line.Sku) - line.Quantity;
        var reservation = new Reservation(
            "RSV-" + (history.Count + 1).ToString("D6", CultureInfo.InvariantCulture), orderId, "Reserved", wanted, Clock.GetUtcNow());
        reservationsByOrder[orderId] = reservation;
        history.Add(reservation);
        return new StandInResponse(201, reservation.ToJson(), new Dictionary<string, string> { ["Location"] = $"/reservations/{Uri.EscapeDataString(orderId)}" });
    }

    private StandInResponse Release(string orderId)
    {
        if (!reservationsByOrder.TryGetValue(orderId, out var reservation))
        {
            return Problem(404, "reservation-not-found", "Reservation not found", $"Order '{orderId}' holds no reservation.");
        }
        if (reservation.Status == "Reserved")
        {
            foreach (var line in reservation.Lines) available[line.Sku] = StockOf(line.Sku) + line.Quantity;
            reservation = reservation with { Status = "Released" };
            reservationsByOrder[orderId] = reservation;
        }
        return StandInResponse.Json(200, reservation.ToJson());
    }

    private StandInResponse Get(string orderId) =>
        reservationsByOrder.TryGetValue(orderId, out var reservation)
            ? StandInResponse.Json(200, reservation.ToJson())
            : Problem(404, "reservation-not-found", "Reservation not found", $"Order '{orderId}' holds no reservation.");

    private static string OrderIdIn(string path)
    {
        var match = ReleasePath().Match(path);
        if (!match.Success) match = ReservationPath().Match(path);
        return match.Groups["orderId"].Value;
    }

    private static string Fingerprint(StandInRequest request)
    {
        var canonical = request.JsonBody() is JToken json ? json.ToString(Formatting.None) : request.Body;
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path.TrimEnd('/')}\n{canonical}")));
    }

    private static readonly IReadOnlyDictionary<string, string> ProblemHeaders = new Dictionary<string, string> { ["Content-Type"] = "application/problem+json" };

    private static JObject ProblemBody(int status, string type, string title, string detail) => new()
    {
        ["type"] = $"https://warehouse.example/problems/{type}",
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
    };

    private static StandInResponse Problem(int status, string type, string title, string detail) =>
        new(status, ProblemBody(status, type, title, detail), ProblemHeaders);

    [GeneratedRegex(@"^/reservations/(?<orderId>[^/]+)$")]
    private static partial Regex ReservationPath();

    [GeneratedRegex(@"^/reservations/(?<orderId>[^/]+)/release$")]
    private static partial Regex ReleasePath();

    [GeneratedRegex(@"^/stock/(?<sku>[^/]+)$")]
    private static partial Regex StockPath();

    private sealed record StoredAnswer(string Fingerprint, StandInResponse Response);
}

public sealed record ReservedLine(string Sku, int Quantity);

public sealed record Reservation(string ReservationId, string OrderId, string Status, IReadOnlyList<ReservedLine> Lines, DateTimeOffset CreatedAt)
{
    public JObject ToJson() => new()
    {
        ["reservationId"] = ReservationId,
        ["orderId"] = OrderId,
        ["status"] = Status,
        ["lines"] = new JArray(Lines.Select(l => new JObject { ["sku"] = l.Sku, ["quantity"] = l.Quantity })),
        ["createdAt"] = CreatedAt.ToString("O", CultureInfo.InvariantCulture),
    };
}
