using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Simulation.Faults;

namespace Simulation.Generation;

/// <summary>
/// A day of orders, generated deterministically from a seed: the same seed, count and profile always give the same orders,
/// events and publishing order. Every order is generated on its own from (seed, order number), so any event can be rebuilt
/// at any time without keeping the day in memory. An order has its <c>OrderCreated</c>, then for some orders an
/// <c>OrderUpdated</c> (new quantities, so a new total) and an <c>OrderCancelled</c>, in business order. Orders carry
/// currencies, 1 to 1,000 lines, Unicode names, phones with and without SMS consent; a share is large (claim-checked by the
/// intake) or arrives already claim-checked (the payload in storage, the envelope referring to it).
/// </summary>
public sealed class OrderDay
{
    public const string Source = "power-platform/dataverse";

    /// <summary>The business day the orders happen on (occurredUtc); simulated time starts here too.</summary>
    public static readonly DateTimeOffset DayStart = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Articles every order draws from; the stand-ins stock them.</summary>
    public const int Articles = 500;

    private static readonly string[] Currencies = ["EUR", "EUR", "EUR", "USD", "USD", "GBP", "CHF", "SEK", "PLN", "DKK", "NOK", "CZK", "JPY"];

    private static readonly (string Name, string City, string Country, string PhonePrefix)[] People =
    [
        ("Anna Schmidt", "Berlin", "DE", "+49151"), ("Zoë Ångström", "Malmö", "SE", "+46701"), ("José Núñez", "Sevilla", "ES", "+34612"),
        ("Łukasz Żółć", "Kraków", "PL", "+48501"), ("Søren Kierkegård", "Aarhus", "DK", "+45201"), ("Chloé Dubois-Lefèvre", "Lyon", "FR", "+33612"),
        ("Ģirts Ozoliņš", "Rīga", "LV", "+37121"), ("Çağla Şahin", "İzmir", "TR", "+90532"), ("Dvořák Jiří", "Brno", "CZ", "+42060"),
        ("Ólafur Þórsson", "Reykjavík", "IS", "+35466"), ("Mária Szűcs", "Győr", "HU", "+36201"), ("Αλέξης Παπαδόπουλος", "Αθήνα", "GR", "+30691"),
        ("Иван Петров", "Sofia", "BG", "+35988"), ("李雷", "Zürich", "CH", "+41791"), ("Fionnuala Ní Bhriain", "Galway", "IE", "+35385"),
        ("Björn O'Brien-Müller", "Wien", "AT", "+43664"), ("Nguyễn Văn An", "Hamburg", "DE", "+49160"), ("Emma Wilson", "Leeds", "GB", "+44770"),
    ];

    private static readonly string[] Descriptions =
    [
        "Espresso beans 1 kg", "Milchkännchen 350 ml", "Kaffeemühle – Kegelmahlwerk", "Tasse «Café» 0,2 l", "Entkalker 1 l", "Filterpapier Nr. 4 (100 Stück)",
        "Tamper Ø 58 mm", "Barista-Schürze, naturfarben", "Thé vert « Sencha » 250 g", "Chocolat noir 70 % – 100 g",
    ];

    private readonly ushort[] shapes;

    public OrderDay(int orders, int seed, FaultProfile profile)
    {
        if (orders < 1) throw new ArgumentOutOfRangeException(nameof(orders), orders, "A day has at least one order.");
        if (orders > 10_000_000) throw new ArgumentOutOfRangeException(nameof(orders), orders, "At most 10,000,000 orders (order numbers have seven digits).");
        Orders = orders;
        Seed = seed;
        Profile = profile;
        shapes = new ushort[orders];
        for (var order = 0; order < orders; order++) shapes[order] = Shape(order);
    }

    public int Orders { get; }

    public int Seed { get; }

    public FaultProfile Profile { get; }

    /// <summary>Event slots (three per order; <see cref="EventRef.Slot"/>).</summary>
    public int Slots => Orders * EventRef.KindsPerOrder;

    public string OrderId(int order) => EventIds.OrderId(Seed, order);

    public string MessageId(EventRef e) => EventIds.MessageId(Seed, e);

    public string CorrelationId(EventRef e) => EventIds.CorrelationId(Seed, e);

    /// <summary>The article no downstream knows (poison orders carry it).</summary>
    public string PoisonArticle => string.Create(CultureInfo.InvariantCulture, $"MAT-UNKNOWN-{Seed}");

    public static string Article(int index) => string.Create(CultureInfo.InvariantCulture, $"MAT-{1000 + index:D4}");

    /// <summary>The shape of an order: which events it has, consent, the faults that apply to it (kept for the day,
    /// two bytes an order).</summary>
    public OrderPlan Plan(int order)
    {
        if (order < 0 || order >= Orders) throw new ArgumentOutOfRangeException(nameof(order), order, $"Orders are numbered 0 to {Orders - 1}.");
        var s = shapes[order];
        bool Bit(int n) => (s & (1 << n)) != 0;
        return new OrderPlan(this, order, Bit(0), Bit(1), Bit(2), Bit(3), Bit(4), Bit(5), Bit(6), Bit(7), (s >> 8) & 0b111);
    }

    /// <summary>True when the order has the event (cheap: no allocation).</summary>
    public bool Has(EventRef e) => e.Order >= 0 && e.Order < Orders && (e.Kind == EventKind.Created || (shapes[e.Order] & (1 << ((int)e.Kind - 1))) != 0);

    private ushort Shape(int order)
    {
        var random = RandomFor(order, stream: 0);
        var hasUpdate = random.NextDouble() < 0.3;
        var hasCancel = random.NextDouble() < 0.1;
        var hasPhone = random.NextDouble() < 0.85;
        var smsOptIn = random.NextDouble() < 0.6;
        var large = random.NextDouble() < 0.001;
        var preClaimChecked = !large && random.NextDouble() < 0.005;
        var faults = RandomFor(order, stream: 1);
        var poison = faults.NextDouble() < Profile.Poison;
        var outOfOrder = (hasUpdate || hasCancel) && faults.NextDouble() < Profile.OutOfOrder;
        var duplicates = 0;
        for (var kind = 0; kind < EventRef.KindsPerOrder; kind++)
        {
            if (faults.NextDouble() < Profile.DuplicatePublish) duplicates |= 1 << kind;
        }
        static int B(bool flag, int bit) => flag ? 1 << bit : 0;
        return (ushort)(B(hasUpdate, 0) | B(hasCancel, 1) | B(hasPhone, 2) | B(smsOptIn, 3) | B(large, 4) | B(preClaimChecked, 5)
                        | B(poison, 6) | B(outOfOrder, 7) | duplicates << 8);
    }

    /// <summary>Every event the day publishes, in publishing order: business time, with an out-of-order order's later event
    /// moved before the earlier one. Repeats (duplicate publish) are scheduled by the publisher from the plan.</summary>
    public EventRef[] PublishingOrder()
    {
        var entries = new List<(long Time, int Slot)>(Orders * 13 / 10);
        var spacing = TimeSpan.FromDays(1).Ticks / Orders;
        for (var order = 0; order < Orders; order++)
        {
            var plan = Plan(order);
            var created = order * spacing;
            var times = new List<(long, EventKind)> { (created, EventKind.Created) };
            if (plan.HasUpdate) times.Add((created + plan.UpdateDelay.Ticks, EventKind.Updated));
            if (plan.HasCancel) times.Add((created + plan.CancelDelay.Ticks, EventKind.Cancelled));
            if (plan.OutOfOrder)
            {
                // The last event overtakes the one before it.
                var last = times[^1];
                var before = times[^2];
                times[^1] = (before.Item1 - 1, last.Item2);
            }
            foreach (var (time, kind) in times) entries.Add((time, new EventRef(order, kind).Slot));
        }
        entries.Sort();
        return entries.Select(e => EventRef.FromSlot(e.Slot)).ToArray();
    }

    internal Random RandomFor(int order, int stream) => new(unchecked((int)(Mix((uint)Seed, (uint)order, (uint)stream) & 0x7FFFFFFF)));

    private static uint Mix(uint a, uint b, uint c)
    {
        // A small integer hash (murmur3-style finalizer over the three values): independent streams per order.
        var h = a * 0x9E3779B1u ^ b * 0x85EBCA77u ^ c * 0xC2B2AE3Du;
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }

    internal static string Currency(Random random) => Currencies[random.Next(Currencies.Length)];

    internal static (string Name, string City, string Country, string PhonePrefix) Person(Random random) => People[random.Next(People.Length)];

    internal static string Description(Random random, bool long_)
    {
        var text = Descriptions[random.Next(Descriptions.Length)];
        if (!long_) return text;
        // A long description (large orders): up to the contract's 200 characters.
        var repeated = text;
        while (repeated.Length < 190) repeated += " · " + Descriptions[random.Next(Descriptions.Length)];
        return repeated[..190].TrimEnd();
    }
}

/// <summary>One order of the day: which events it has and what applies to it. <see cref="Event"/> builds an event's JSON.</summary>
public sealed record OrderPlan(
    OrderDay Day, int Order, bool HasUpdate, bool HasCancel, bool HasPhone, bool SmsOptIn, bool Large, bool PreClaimChecked,
    bool Poison, bool OutOfOrder, int DuplicateMask)
{
    public string OrderId => Day.OrderId(Order);

    public TimeSpan UpdateDelay => TimeSpan.FromMinutes(5 + Order % 115);

    public TimeSpan CancelDelay => TimeSpan.FromHours(2) + TimeSpan.FromMinutes(Order % 240);

    public bool Has(EventKind kind) => kind switch
    {
        EventKind.Created => true,
        EventKind.Updated => HasUpdate,
        _ => HasCancel,
    };

    public IEnumerable<EventKind> Kinds()
    {
        yield return EventKind.Created;
        if (HasUpdate) yield return EventKind.Updated;
        if (HasCancel) yield return EventKind.Cancelled;
    }

    /// <summary>True when the event is published twice.</summary>
    public bool IsRepeated(EventKind kind) => (DuplicateMask & (1 << (int)kind)) != 0;

    /// <summary>The SMS subscription's filter routes the event (smsOptIn = TRUE).</summary>
    public bool RoutedToSms => SmsOptIn;

    /// <summary>An SMS is expected: routed and the customer has a phone.</summary>
    public bool SmsExpected => SmsOptIn && HasPhone;

    public DateTimeOffset OccurredUtc(EventKind kind)
    {
        var created = OrderDay.DayStart + TimeSpan.FromTicks(Order * (TimeSpan.FromDays(1).Ticks / Day.Orders));
        return kind switch
        {
            EventKind.Created => created,
            EventKind.Updated => created + UpdateDelay,
            _ => created + CancelDelay,
        };
    }

    /// <summary>The event as Power Platform publishes it (data inline): <see cref="EventText"/> read back (numbers with a
    /// fraction as decimals, dates as text, as the intake reads them).</summary>
    public JObject Event(EventKind kind)
    {
        using var reader = new JsonTextReader(new StringReader(EventText(kind)))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Decimal,
        };
        return JObject.Load(reader);
    }

    /// <summary>The event's text as posted (compact JSON, UTF-8), written as it is generated: a day posts every event once,
    /// and building a JSON tree only to serialize it cost more than the writing.</summary>
    public string EventText(EventKind kind)
    {
        if (!Has(kind)) throw new InvalidOperationException($"Order {OrderId} has no {kind} event.");
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
        {
            Write(kind, writer);
        }
        return text.ToString();
    }

    private readonly record struct Line(string Sku, int Quantity, decimal UnitPrice, string? Description);

    /// <summary>Writes the event. The random draws come in the order the fields were always generated in (lines, phone,
    /// consent, customer and account ids, street, postal code), so a seed gives the events it always gave.</summary>
    private void Write(EventKind kind, JsonWriter json)
    {
        var e = new EventRef(Order, kind);
        var random = Day.RandomFor(Order, stream: 2);
        var (name, city, country, phonePrefix) = OrderDay.Person(random);
        var currency = OrderDay.Currency(random);
        var wholeAmounts = currency == "JPY";
        var lineCount = LineCount(random);
        var lines = new Line[lineCount];
        decimal total = 0;
        var updateRandom = Day.RandomFor(Order, stream: 3);
        for (var i = 0; i < lineCount; i++)
        {
            var article = Poison && i == 0 ? Day.PoisonArticle : OrderDay.Article(random.Next(OrderDay.Articles));
            var quantity = random.Next(1, 21);
            // An update raises some quantities (at least the first line's), so every update has a new total.
            if (kind != EventKind.Created && HasUpdate && (i == 0 || updateRandom.NextDouble() < 0.3)) quantity += 1 + updateRandom.Next(3);
            var price = wholeAmounts ? random.Next(100, 50_000) : Math.Round((decimal)random.Next(50, 50_000) / 100, 2);
            total += quantity * price;
            var description = Large || random.NextDouble() < 0.5 ? OrderDay.Description(random, Large) : null;
            lines[i] = new Line(article, quantity, price, description);
        }
        var phone = string.Create(CultureInfo.InvariantCulture, $"{phonePrefix}{random.Next(1_000_000, 9_999_999)}");
        bool? smsOptIn = SmsOptIn ? true : random.NextDouble() < 0.5 ? false : null;
        var customerId = string.Create(CultureInfo.InvariantCulture, $"CUST-{random.Next(10_000, 99_999)}");
        var accountId = string.Create(CultureInfo.InvariantCulture, $"ACC-{random.Next(1_000, 9_999)}");
        var street = string.Create(CultureInfo.InvariantCulture, $"Hauptstraße {random.Next(1, 200)}");
        var postalCode = random.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture);
        var newerSchema = kind == EventKind.Created && Order % 5 == 0;

        json.WriteStartObject();
        Property(json, "schemaVersion", newerSchema ? "1.1" : "1.0");
        Property(json, "messageId", Day.MessageId(e));
        Property(json, "correlationId", Day.CorrelationId(e));
        Property(json, "eventType", e.EventType);
        Property(json, "source", OrderDay.Source);
        Property(json, "occurredUtc", OccurredUtc(kind).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WritePropertyName("data");
        json.WriteStartObject();
        Property(json, "orderId", OrderId);
        Property(json, "customerId", customerId);
        Property(json, "accountId", accountId);
        json.WritePropertyName("amount");
        json.WriteValue(total);
        Property(json, "currency", currency);
        json.WritePropertyName("lines");
        json.WriteStartArray();
        foreach (var line in lines)
        {
            json.WriteStartObject();
            Property(json, "sku", line.Sku);
            json.WritePropertyName("quantity");
            json.WriteValue((long)line.Quantity);
            json.WritePropertyName("unitPrice");
            json.WriteValue(line.UnitPrice);
            if (line.Description is not null) Property(json, "description", line.Description);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WritePropertyName("customer");
        json.WriteStartObject();
        Property(json, "name", name);
        if (HasPhone) Property(json, "phone", phone);
        if (smsOptIn is bool optIn)
        {
            json.WritePropertyName("smsOptIn");
            json.WriteValue(optIn);
        }
        Property(json, "email", string.Create(CultureInfo.InvariantCulture, $"customer{Order}@example.com"));
        json.WriteEndObject();
        json.WritePropertyName("shipTo");
        json.WriteStartObject();
        Property(json, "name", name);
        Property(json, "street", street);
        Property(json, "city", city);
        Property(json, "postalCode", postalCode);
        Property(json, "country", country);
        json.WriteEndObject();
        if (newerSchema)
        {
            Property(json, "promisedDeliveryDate", OccurredUtc(kind).AddDays(3 + Order % 5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        if (kind == EventKind.Cancelled) Property(json, "cancellationReason", "Customer changed their mind – ordered twice by mistake.");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Property(JsonWriter json, string name, string value)
    {
        json.WritePropertyName(name);
        json.WriteValue(value);
    }

    private int LineCount(Random random)
    {
        if (Large) return random.Next(800, 1001);
        var r = random.NextDouble();
        return r < 0.90 ? random.Next(1, 6) : r < 0.99 ? random.Next(6, 51) : r < 0.999 ? random.Next(51, 301) : random.Next(301, 1001);
    }
}
