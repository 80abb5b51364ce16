using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Contracts;

/// <summary>What <see cref="OrderEventValidator"/> found. The identifying fields are filled only when they
/// themselves are valid, so callers can log and route on them safely.</summary>
public sealed record OrderEventValidation(
    bool IsValid,
    IReadOnlyList<ContractError> Errors,
    string? EventType,
    string? SchemaVersion,
    string? MessageId,
    string? CorrelationId,
    string? OrderId)
{
    /// <summary>The contract version the event was checked against; null when it could not be identified.</summary>
    [JsonIgnore] public OrderEventContract? Contract { get; init; }

    /// <summary>When asked for (<see cref="OrderEventValidator.Validate(JToken?, bool)"/>) and the event is valid and carries
    /// its <c>data</c>: the event as <see cref="Mapping.OrderEventReader"/> reads it, made from the values the checks read.
    /// Not part of any workflow result.</summary>
    [JsonIgnore] internal OrderEvent? Event { get; init; }
}

/// <summary>
/// Enforces the order event contract (Artifacts/Schemas) on any JSON value with hand-written checks: no schema is
/// interpreted at run time. Reports every violation (up to <see cref="MaxErrors"/>) with its JSONPath, a stable code
/// and a message, and never throws. tests/OrderEvents.CustomCode.Tests/Contracts proves it agrees with the JSON Schemas (ajv).
/// </summary>
public static class OrderEventValidator
{
    /// <summary>More errors than this are summarised by one <see cref="ContractErrorCodes.ErrorLimitReached"/>.</summary>
    public const int MaxErrors = 100;

    public const int MaxLines = 1000;
    public const decimal MaxMoney = 1_000_000_000_000m;
    public const decimal MaxQuantity = 1_000_000m;
    public const long MaxClaimCheckBytes = 100L * 1024 * 1024;

    private static readonly HashSet<string> EnvelopeProperties = new(StringComparer.Ordinal)
        { "schemaVersion", "messageId", "correlationId", "eventType", "source", "occurredUtc", "data", "payloadReference" };
    private static readonly HashSet<string> CoreDataProperties = new(StringComparer.Ordinal)
        { "orderId", "customerId", "accountId", "amount", "currency", "lines", "customer", "shipTo" };
    private static readonly HashSet<string> LineProperties = new(StringComparer.Ordinal) { "sku", "quantity", "unitPrice", "description" };
    private static readonly HashSet<string> CustomerProperties = new(StringComparer.Ordinal) { "name", "phone", "smsOptIn", "email" };
    private static readonly HashSet<string> ShipToProperties = new(StringComparer.Ordinal) { "name", "street", "city", "postalCode", "region", "country" };
    private static readonly HashSet<string> PayloadReferenceProperties = new(StringComparer.Ordinal) { "path", "container", "sizeBytes", "sha256" };

    /// <summary>The contract's rule for correlation ids (also for the one a caller passes in): 1-128 visible ASCII characters.</summary>
    public static bool IsValidCorrelationId(string? value) => value is { Length: >= 1 and <= 128 } && Matches(Text.CorrelationId, value);

    public static OrderEventValidation Validate(JToken? orderEvent) => Validate(orderEvent, readEvent: false);

    /// <param name="readEvent">Also make <see cref="OrderEventValidation.Event"/>: a subscriber validates its delivery and
    /// then maps it, and reading every field a second time for the mapper (<see cref="Mapping.OrderEventReader"/>) cost as
    /// much as the checks (docs/custom-code.md, "One walk of the event").</param>
    internal static OrderEventValidation Validate(JToken? orderEvent, bool readEvent)
    {
        var check = new Check(readEvent);
        try
        {
            check.Event(orderEvent);
        }
        catch (Exception ex)
        {
            // A fault here is a bug in this class; reporting it keeps the promise that no input crashes a run.
            check.Errors.AddBeyondLimit(JsonPaths.Root, ContractErrorCodes.ValidatorFault, $"The validator failed ({ex.GetType().Name}); the event was not fully checked.");
        }
        return check.Result();
    }

    private enum Text { FreeText, BusinessId, MessageId, Sku, CorrelationId, Phone, Email, Country, ClaimCheckPath, Container, Sha256 }

    private sealed class Check(bool readEvent)
    {
        public readonly ErrorList Errors = new();
        private string? eventType, schemaVersion, messageId, correlationId, orderId;
        private OrderEventContract? contract;
        // What the typed event is made of (readEvent), as the checks read it; used only when every check passed.
        private string? source;
        private DateTimeOffset? occurredUtc;
        private OrderData? data;

        public OrderEventValidation Result() => new(Errors.Count == 0, Errors.ToArray(),
            eventType, schemaVersion, messageId, correlationId, orderId)
        { Contract = contract, Event = readEvent && Errors.Count == 0 && data is not null ? TypedEvent() : null };

        /// <summary>What <see cref="Mapping.OrderEventReader.Read"/> makes of this valid event: the same fields (those the
        /// reader reads; description, e-mail, ship-to and the claim check stay unset, as there) with the same values.</summary>
        private OrderEvent TypedEvent() => new()
        {
            SchemaVersion = schemaVersion!,
            MessageId = messageId!,
            CorrelationId = correlationId!,
            EventType = eventType!,
            Source = source!,
            OccurredUtc = occurredUtc ?? default,
            Data = data,
        };

        public void Event(JToken? token)
        {
            if (token is not JObject root)
            {
                // No value at all is reported as null, as JSON Schema sees a missing document.
                Errors.Add(JsonPaths.Root, ContractErrorCodes.WrongType, $"An order event must be a JSON object, not {JsonValues.Describe(token ?? JValue.CreateNull())}.");
                return;
            }
            contract = IdentifyContract(root);
            if (contract is null) return; // no contract to check the rest against (the schemas agree: no schema applies)

            foreach (var property in PropertiesOf(root))
            {
                if (!EnvelopeProperties.Contains(property.Name)) UnknownProperty(JsonPaths.Root, property.Name);
            }
            messageId = String(root, JsonPaths.Root, "messageId", Text.MessageId, 128, required: true);
            correlationId = String(root, JsonPaths.Root, "correlationId", Text.CorrelationId, 128, required: true);
            source = String(root, JsonPaths.Root, "source", Text.FreeText, 200, required: true);
            Timestamp(root, JsonPaths.Root, "occurredUtc");

            var data = Present(root, "data");
            var payloadReference = Present(root, "payloadReference");
            if (data is not null && payloadReference is not null)
            {
                Errors.Add(JsonPaths.Root, ContractErrorCodes.DataAndPayloadReference, "An event carries either 'data' or a claim check 'payloadReference', not both.");
            }
            else if (data is null && payloadReference is null)
            {
                Errors.Add(JsonPaths.Root, ContractErrorCodes.DataOrPayloadReferenceRequired, "An event needs 'data' (the order) or 'payloadReference' (a claim check for a large order).");
            }
            if (data is not null) Data(data, JsonPaths.Property(JsonPaths.Root, "data"));
            if (payloadReference is not null) PayloadReference(payloadReference, JsonPaths.Property(JsonPaths.Root, "payloadReference"));
        }

        private OrderEventContract? IdentifyContract(JObject root)
        {
            var typeToken = Present(root, "eventType");
            var versionToken = Present(root, "schemaVersion");
            var typePath = JsonPaths.Property(JsonPaths.Root, "eventType");
            var versionPath = JsonPaths.Property(JsonPaths.Root, "schemaVersion");
            string? type = null;
            if (typeToken is null) Errors.Add(typePath, ContractErrorCodes.Required, "'eventType' is required (OrderCreated, OrderUpdated or OrderCancelled).");
            else if (typeToken.Type != JTokenType.String) WrongType(typePath, "a string", typeToken);
            else if (!OrderEventContracts.IsKnownEventType((string)typeToken!))
                Errors.Add(typePath, ContractErrorCodes.UnknownEventType, $"'{Shorten((string)typeToken!)}' is not an order event type; known: {string.Join(", ", OrderEventTypes.All)}.");
            else type = (string)typeToken!;

            if (versionToken is null) { Errors.Add(versionPath, ContractErrorCodes.Required, "'schemaVersion' is required (e.g. \"1.0\")."); return null; }
            if (versionToken.Type != JTokenType.String) { WrongType(versionPath, "a string like \"1.0\"", versionToken); return null; }
            var version = (string)versionToken!;
            if (!OrderEventContracts.TryParseVersion(version, out var major, out var minor))
            {
                Errors.Add(versionPath, ContractErrorCodes.InvalidSchemaVersion, $"'{Shorten(version)}' is not a schema version: use <major>.<minor>, e.g. \"1.0\".");
                return null;
            }
            if (type is null) return null;
            var found = OrderEventContracts.Find(type, major, minor);
            if (found is null)
            {
                var known = OrderEventContracts.VersionsOf(type);
                var knownText = string.Join(", ", known.Select(c => c.SchemaVersion));
                if (known.All(c => c.Major != major))
                    Errors.Add(versionPath, ContractErrorCodes.UnsupportedSchemaMajorVersion, $"{type} {version}: major version {major} is not supported here (known versions: {knownText}).");
                else
                    Errors.Add(versionPath, ContractErrorCodes.UnknownSchemaMinorVersion, $"{type} {version}: minor version {minor} is newer than this consumer knows (known versions: {knownText}); deploy consumers before producers.");
                return null;
            }
            eventType = type;
            schemaVersion = version;
            return found;
        }

        private void Data(JToken token, string path)
        {
            if (token is not JObject data) { WrongType(path, "an object", token); return; }
            foreach (var property in PropertiesOf(data))
            {
                if (!CoreDataProperties.Contains(property.Name) && !contract!.OptionalDataProperties.Contains(property.Name))
                    UnknownProperty(path, property.Name);
            }
            orderId = String(data, path, "orderId", Text.BusinessId, 64, required: true);
            var customerId = String(data, path, "customerId", Text.BusinessId, 64, required: true);
            var accountId = String(data, path, "accountId", Text.BusinessId, 64, required: true);
            var amount = Number(data, path, "amount", required: true, minimum: 0, exclusiveMinimum: false, MaxMoney);
            var currency = Currency(data, path);
            var lines = Lines(data, path);
            var customerToken = Required(data, path, "customer");
            var customer = customerToken is null ? null : Customer(customerToken, JsonPaths.Property(path, "customer"));
            var shipTo = Present(data, "shipTo");
            if (shipTo is not null) ShipTo(shipTo, JsonPaths.Property(path, "shipTo"));
            string? cancellationReason = null;
            if (contract!.OptionalDataProperties.Contains(OrderEventContracts.CancellationReason))
                cancellationReason = String(data, path, OrderEventContracts.CancellationReason, Text.FreeText, 500, required: false);
            if (readEvent && Errors.Count == 0)
            {
                this.data = new OrderData
                {
                    OrderId = orderId!, CustomerId = customerId!, AccountId = accountId!, Amount = Mapping.OrderEventReader.ToDecimal(amount!) ?? 0m,
                    Currency = currency!, Lines = lines!, Customer = customer, CancellationReason = cancellationReason,
                };
            }
            if (contract.OptionalDataProperties.Contains(OrderEventContracts.PromisedDeliveryDate))
                CalendarDate(data, path, OrderEventContracts.PromisedDeliveryDate);
        }

        /// <summary>Checks the lines; when <see cref="readEvent"/>, returns them as the reader reads them.</summary>
        private List<OrderLine>? Lines(JObject data, string dataPath)
        {
            var token = Required(data, dataPath, "lines");
            if (token is null) return null;
            var path = JsonPaths.Property(dataPath, "lines");
            if (token is not JArray lines) { WrongType(path, "an array of order lines", token); return null; }
            var read = readEvent ? new List<OrderLine>(lines.Count) : null;
            if (lines.Count == 0) Errors.Add(path, ContractErrorCodes.TooFewItems, "An order needs at least one line.");
            if (lines.Count > MaxLines) Errors.Add(path, ContractErrorCodes.TooManyItems, $"An order has at most {MaxLines} lines, not {lines.Count}.");
            for (var i = 0; i < lines.Count; i++)
            {
                var linePath = new At(path, i);
                if (lines[i] is not JObject line) { WrongType(linePath.ToString(), "an order line object", lines[i]); continue; }
                foreach (var property in PropertiesOf(line))
                {
                    if (!LineProperties.Contains(property.Name)) UnknownProperty(linePath, property.Name);
                }
                var sku = String(line, linePath, "sku", Text.Sku, 40, required: true);
                var quantity = Number(line, linePath, "quantity", required: true, minimum: 0, exclusiveMinimum: true, MaxQuantity);
                var unitPrice = Number(line, linePath, "unitPrice", required: true, minimum: 0, exclusiveMinimum: false, MaxMoney);
                String(line, linePath, "description", Text.FreeText, 200, required: false);
                if (read is not null && sku is not null && quantity is not null && unitPrice is not null)
                {
                    read.Add(new OrderLine
                    {
                        Sku = sku, Quantity = Mapping.OrderEventReader.ToDecimal(quantity) ?? 0m, UnitPrice = Mapping.OrderEventReader.ToDecimal(unitPrice) ?? 0m,
                    });
                }
            }
            return read;
        }

        /// <summary>Checks the customer; when <see cref="readEvent"/>, returns it as the reader reads it.</summary>
        private Customer? Customer(JToken token, string path)
        {
            if (token is not JObject customer) { WrongType(path, "an object", token); return null; }
            foreach (var property in PropertiesOf(customer))
            {
                if (!CustomerProperties.Contains(property.Name)) UnknownProperty(path, property.Name);
            }
            var name = String(customer, path, "name", Text.FreeText, 200, required: true);
            var phone = String(customer, path, "phone", Text.Phone, null, required: false);
            String(customer, path, "email", Text.Email, 254, required: false);
            var optIn = Present(customer, "smsOptIn");
            if (optIn is not null && optIn.Type != JTokenType.Boolean) WrongType(JsonPaths.Property(path, "smsOptIn"), "true or false", optIn);
            return readEvent ? new Customer { Name = name ?? "", Phone = phone, SmsOptIn = optIn is { Type: JTokenType.Boolean } && (bool)optIn } : null;
        }

        private void ShipTo(JToken token, string path)
        {
            if (token is not JObject shipTo) { WrongType(path, "an object", token); return; }
            foreach (var property in PropertiesOf(shipTo))
            {
                if (!ShipToProperties.Contains(property.Name)) UnknownProperty(path, property.Name);
            }
            String(shipTo, path, "name", Text.FreeText, 200, required: false);
            String(shipTo, path, "street", Text.FreeText, 200, required: false);
            String(shipTo, path, "city", Text.FreeText, 100, required: true);
            String(shipTo, path, "postalCode", Text.FreeText, 20, required: false);
            String(shipTo, path, "region", Text.FreeText, 100, required: false);
            String(shipTo, path, "country", Text.Country, null, required: true);
        }

        private void PayloadReference(JToken token, string path)
        {
            if (token is not JObject reference) { WrongType(path, "an object", token); return; }
            foreach (var property in PropertiesOf(reference))
            {
                if (!PayloadReferenceProperties.Contains(property.Name)) UnknownProperty(path, property.Name);
            }
            String(reference, path, "path", Text.ClaimCheckPath, 1024, required: true);
            String(reference, path, "container", Text.Container, null, required: true);
            String(reference, path, "sha256", Text.Sha256, null, required: true);
            var size = Required(reference, path, "sizeBytes");
            if (size is null) return;
            var sizePath = JsonPaths.Property(path, "sizeBytes");
            if (!TryNumber(size, out var value) || value != Math.Floor(value)) { WrongType(sizePath, "a whole number of bytes", size); return; }
            if (value < 1) Errors.Add(sizePath, ContractErrorCodes.TooSmall, "A stored payload has at least 1 byte.");
            if (value > MaxClaimCheckBytes) Errors.Add(sizePath, ContractErrorCodes.TooLarge, $"A claim-checked payload has at most {MaxClaimCheckBytes} bytes.");
        }

        private string? Currency(JObject data, string dataPath)
        {
            var token = Required(data, dataPath, "currency");
            if (token is null) return null;
            var path = JsonPaths.Property(dataPath, "currency");
            if (token.Type != JTokenType.String) { WrongType(path, "an ISO 4217 code like \"EUR\"", token); return null; }
            var code = (string)token!;
            if (!Iso4217Currencies.Codes.Contains(code))
                Errors.Add(path, ContractErrorCodes.InvalidCurrency, $"'{Shorten(code)}' is not an ISO 4217 currency code (three capitals, e.g. EUR, USD, CHF).");
            return code;
        }

        private void Timestamp(JObject parent, string parentPath, string name)
        {
            var token = Required(parent, parentPath, name);
            if (token is null) return;
            if (readEvent) occurredUtc = OrderEventJson.ReadInstant(token); // as the reader reads it (used only when valid)
            var path = JsonPaths.Property(parentPath, name);
            switch (token.Type)
            {
                case JTokenType.String:
                    var text = (string)token!;
                    if (IsUtcTimestamp(text)) return;
                    if (OffsetTimestamp.Match(text) is { Success: true } match && match.Groups["offset"].Value is not ("Z" or "z") && IsValidDate(text.AsSpan(0, 10)))
                        Errors.Add(path, ContractErrorCodes.NotUtc, $"'{Shorten(text)}' is not UTC: write the time in UTC with the Z designator (e.g. 2025-03-01T09:30:00Z).");
                    else
                        Errors.Add(path, ContractErrorCodes.InvalidTimestamp, $"'{Shorten(text)}' is not an RFC 3339 UTC timestamp like 2025-03-01T09:30:00Z (at most 7 fraction digits).");
                    return;
                // A reader that parsed dates (Newtonsoft's default) leaves DateTime/DateTimeOffset values behind.
                case JTokenType.Date when token is JValue { Value: DateTime { Kind: DateTimeKind.Utc } }:
                case JTokenType.Date when token is JValue { Value: DateTimeOffset { Offset.Ticks: 0 } }:
                    return;
                case JTokenType.Date:
                    Errors.Add(path, ContractErrorCodes.NotUtc, "The timestamp is not UTC: write the time in UTC with the Z designator.");
                    return;
                default:
                    WrongType(path, "an RFC 3339 UTC timestamp string", token);
                    return;
            }
        }

        private void CalendarDate(JObject parent, string parentPath, string name)
        {
            var token = Present(parent, name);
            if (token is null) return;
            var path = JsonPaths.Property(parentPath, name);
            if (token.Type != JTokenType.String) { WrongType(path, "a date string like \"2025-03-14\"", token); return; }
            var text = (string)token!;
            if (text.Length != 10 || !IsValidDate(text.AsSpan()))
                Errors.Add(path, ContractErrorCodes.InvalidDate, $"'{Shorten(text)}' is not a calendar date like 2025-03-14.");
        }

        /// <summary>Checks a string property (never empty; <paramref name="maxLength"/> null where the schema's
        /// pattern alone bounds it); returns the value when valid.</summary>
        private string? String(JObject parent, At parentPath, string name, Text kind, int? maxLength, bool required)
        {
            var token = required ? Required(parent, parentPath, name) : Present(parent, name);
            if (token is null) return null;
            // The path's text is made only for an error: most values are valid, and an order has many.
            string path() => JsonPaths.Property(parentPath.ToString(), name);
            if (token.Type != JTokenType.String)
            {
                WrongType(path(), "a string", token);
                return null;
            }
            var value = (string)token!;
            if (value.Length == 0)
            {
                Errors.Add(path(), ContractErrorCodes.Empty, $"'{name}' must not be empty.");
                return null;
            }
            var before = Errors.Count;
            // Lengths count Unicode code points, as JSON Schema does (an emoji is one character).
            if (value.Length > maxLength && CodePoints(value) is var length && length > maxLength)
                Errors.Add(path(), ContractErrorCodes.TooLong, $"'{name}' has {length} characters; at most {maxLength} are allowed.");
            if (HasControlCharacter(value))
            {
                Errors.Add(path(), ContractErrorCodes.ControlCharacter, $"'{name}' contains a control character (U+0000-U+001F, U+007F-U+009F).");
            }
            else if (HasUnpairedSurrogate(value))
            {
                // JSON text may escape half of a surrogate pair ("\ud800"); that is not Unicode and has no UTF-8 form.
                Errors.Add(path(), ContractErrorCodes.InvalidUnicode, $"'{name}' contains half of a UTF-16 surrogate pair, which is not a Unicode character.");
            }
            else if (!Matches(kind, value))
            {
                var (code, expectation) = FormatOf(kind);
                Errors.Add(path(), code, $"'{name}' = '{Shorten(value)}' is not {expectation}.");
            }
            return Errors.Count == before ? value : null;
        }

        /// <summary>Checks a number; returns its token when it is one (within range or not: a range error fails the event).</summary>
        private JValue? Number(JObject parent, At parentPath, string name, bool required, decimal minimum, bool exclusiveMinimum, decimal maximum)
        {
            var token = required ? Required(parent, parentPath, name) : Present(parent, name);
            if (token is null) return null;
            string path() => JsonPaths.Property(parentPath.ToString(), name);
            if (!TryNumber(token, out var value)) { WrongType(path(), "a number", token); return null; }
            if (exclusiveMinimum && value <= (double)minimum)
                Errors.Add(path(), ContractErrorCodes.NotPositive, $"'{name}' must be greater than {minimum}, not {Format(value)}.");
            else if (!exclusiveMinimum && value < (double)minimum)
                Errors.Add(path(), ContractErrorCodes.Negative, $"'{name}' must not be negative ({Format(value)}).");
            if (value > (double)maximum)
                Errors.Add(path(), ContractErrorCodes.TooLarge, $"'{name}' must be at most {maximum}, not {Format(value)}.");
            return (JValue)token;
        }

        private JToken? Required(JObject parent, At parentPath, string name)
        {
            var token = Present(parent, name);
            if (token is null) Errors.Add(JsonPaths.Property(parentPath.ToString(), name), ContractErrorCodes.Required, $"'{name}' is required.");
            return token;
        }

        private void UnknownProperty(At parentPath, string name) =>
            Errors.Add(JsonPaths.Property(parentPath.ToString(), name), ContractErrorCodes.UnknownProperty,
                $"'{Shorten(name)}' is not part of the {eventType} {schemaVersion} contract (check the spelling, or the schema version).");

        private void WrongType(string path, string expected, JToken? actual) =>
            Errors.Add(path, ContractErrorCodes.WrongType, $"Expected {expected}, found {JsonValues.Describe(actual)}.");

        /// <summary>A JSONPath not written out yet: <see cref="Parent"/>, or its item <see cref="Index"/> (an order
        /// line). Its text is made only when an error needs it.</summary>
        private readonly record struct At(string Parent, int Index = -1)
        {
            public static implicit operator At(string path) => new(path);

            public override string ToString() => Index < 0 ? Parent : JsonPaths.Index(Parent, Index);
        }
    }

    /// <summary>An object's properties in order, by their sibling links (<see cref="JObject.Properties"/> allocates a cast
    /// iterator and an enumerator per object, and every line of every event is one).</summary>
    private static PropertyWalk PropertiesOf(JObject parent) => new(parent);

    private readonly struct PropertyWalk(JObject parent)
    {
        public Enumerator GetEnumerator() => new(parent.First);

        public struct Enumerator(JToken? first)
        {
            private JToken? next = first;

            public JProperty Current { get; private set; } = null!;

            public bool MoveNext()
            {
                if (next is null) return false;
                Current = (JProperty)next;
                next = next.Next;
                return true;
            }
        }
    }

    /// <summary>Present means the property exists, even with a null value (JSON Schema's <c>required</c>).</summary>
    private static JToken? Present(JObject parent, string name) =>
        parent.TryGetValue(name, StringComparison.Ordinal, out var token) && token.Type != JTokenType.Undefined ? token : null;

    private static bool TryNumber(JToken token, out double value)
    {
        value = 0;
        if (token is not JValue { Type: JTokenType.Integer or JTokenType.Float } number) return false;
        value = number.Value switch
        {
            BigInteger big => Math.Clamp((double)big, double.MinValue, double.MaxValue), // an integer literal is a number, however long
            IConvertible convertible => convertible.ToDouble(CultureInfo.InvariantCulture),
            _ => double.NaN,
        };
        return double.IsFinite(value);
    }

    private static bool Matches(Text kind, string value) => kind switch
    {
        Text.FreeText => true,
        Text.BusinessId or Text.MessageId or Text.Sku => IsAsciiLetterOrDigit(value[0]) && value.AsSpan().IndexOfAnyExcept(IdCharacters) < 0,
        Text.CorrelationId => value.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0,
        Text.Phone => value.Length is >= 8 and <= 16 && value[0] == '+' && value[1] is >= '1' and <= '9' && value.Skip(2).All(char.IsAsciiDigit),
        Text.Email => IsEmail(value),
        Text.Country => value.Length == 2 && value.All(c => c is >= 'A' and <= 'Z'),
        Text.ClaimCheckPath => value.StartsWith("claimchecks/", StringComparison.Ordinal) && value.EndsWith(".json", StringComparison.Ordinal)
            && value.Length > "claimchecks/".Length + ".json".Length && !value.Contains("..", StringComparison.Ordinal) && !value.Contains("//", StringComparison.Ordinal)
            && value.All(c => IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-'),
        Text.Container => IsContainerName(value),
        Text.Sha256 => value.Length == 64 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'),
        _ => false,
    };

    private static (string Code, string Expectation) FormatOf(Text kind) => kind switch
    {
        Text.BusinessId => (ContractErrorCodes.InvalidFormat, "an id of letters, digits, '.', '_' and '-' starting with a letter or digit"),
        Text.MessageId => (ContractErrorCodes.InvalidFormat, "a message id of letters, digits, '.', '_' and '-' starting with a letter or digit (e.g. order-100482-created-v1)"),
        Text.Sku => (ContractErrorCodes.InvalidFormat, "a SKU of letters, digits, '.', '_' and '-' starting with a letter or digit"),
        Text.CorrelationId => (ContractErrorCodes.InvalidFormat, "visible ASCII without spaces"),
        Text.Phone => (ContractErrorCodes.InvalidPhoneNumber, "an E.164 phone number ('+', country code and number, 7 to 15 digits, no spaces, e.g. +4915112345678)"),
        Text.Email => (ContractErrorCodes.InvalidEmail, "an e-mail address"),
        Text.Country => (ContractErrorCodes.InvalidCountryCode, "an ISO 3166-1 alpha-2 country code (two capitals, e.g. DE)"),
        Text.ClaimCheckPath => (ContractErrorCodes.InvalidFormat, "a claim-check path 'claimchecks/....json' (letters, digits, '.', '_', '-', '/'; no '..' or '//')"),
        Text.Container => (ContractErrorCodes.InvalidFormat, "a storage container name (3-63 lower-case letters, digits and single hyphens)"),
        Text.Sha256 => (ContractErrorCodes.InvalidFormat, "a lower-case hex SHA-256 (64 characters)"),
        _ => (ContractErrorCodes.InvalidFormat, "valid"),
    };

    /// <summary>The characters of business ids, message ids and SKUs (searched vectorized: every event has many of them).</summary>
    private static readonly SearchValues<char> IdCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    private static bool IsAsciiLetterOrDigit(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9';

    private static bool IsControl(char c) => c <= '\u001F' || c is >= '\u007F' and <= '\u009F';

    private static bool HasUnpairedSurrogate(string value)
    {
        if (value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return false; // most text has no surrogate at all
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(value[i])) return true;
        }
        return false;
    }

    // Two vectorized range searches: a SearchValues of these 65 characters (not all ASCII) fell back to a slower
    // probabilistic search, and every string of every event is checked.
    private static bool HasControlCharacter(string value) =>
        value.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || value.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0;

    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@');
        if (at <= 0 || at != value.LastIndexOf('@')) return false;
        if (value.Any(c => c <= ' ' || c is >= '\u007F' and <= '\u009F')) return false;
        var domain = value.AsSpan(at + 1);
        var dot = domain.LastIndexOf('.');
        return dot > 0 && dot < domain.Length - 1;
    }

    private static bool IsContainerName(string value)
    {
        if (value.Length is < 3 or > 63 || value[0] == '-' || value[^1] == '-') return false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '-' ? value[i + 1] == '-' : !(c is >= 'a' and <= 'z' or >= '0' and <= '9')) return false;
        }
        return true;
    }

    /// <summary>The contract's form: <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}]Z</c>, with a real date and time.</summary>
    private static bool IsUtcTimestamp(string text)
    {
        if (text.Length < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[^1] != 'Z') return false;
        if (!IsValidDate(text.AsSpan(0, 10)) || !TwoDigits(text, 11, 23) || !TwoDigits(text, 14, 59) || !TwoDigits(text, 17, 59)) return false;
        if (text.Length == 20) return true;
        var fraction = text.AsSpan(19, text.Length - 20);
        if (fraction.Length is < 2 or > 8 || fraction[0] != '.') return false;
        foreach (var c in fraction[1..])
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    private static readonly Regex OffsetTimestamp = new(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(?<offset>[zZ]|[+-][0-9]{2}:[0-9]{2})?$", RegexOptions.CultureInvariant);

    private static bool IsValidDate(ReadOnlySpan<char> text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-') return false;
        foreach (var i in new[] { 0, 1, 2, 3, 5, 6, 8, 9 })
        {
            if (!char.IsAsciiDigit(text[i])) return false;
        }
        var year = int.Parse(text[..4], CultureInfo.InvariantCulture);
        var month = int.Parse(text.Slice(5, 2), CultureInfo.InvariantCulture);
        var day = int.Parse(text.Slice(8, 2), CultureInfo.InvariantCulture);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static bool TwoDigits(string text, int start, int maximum) =>
        char.IsAsciiDigit(text[start]) && char.IsAsciiDigit(text[start + 1]) && (text[start] - '0') * 10 + (text[start + 1] - '0') <= maximum;

    private static int CodePoints(string value)
    {
        var count = value.Length;
        for (var i = 0; i + 1 < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && char.IsLowSurrogate(value[i + 1])) { count--; i++; }
        }
        return count;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Quoted values are cut so that an oversize or hostile value cannot flood an error message.</summary>
    private static string Shorten(string value)
    {
        var cleaned = value.Length > 60 ? value[..60] + "…" : value;
        return HasControlCharacter(cleaned) ? new string(cleaned.Select(c => IsControl(c) ? '?' : c).ToArray()) : cleaned;
    }

    private sealed class ErrorList
    {
        private readonly List<ContractError> errors = new();
        public int Count => errors.Count;

        public void Add(string path, string code, string message)
        {
            if (errors.Count < MaxErrors) errors.Add(new ContractError(path, code, message));
            else if (errors.Count == MaxErrors) errors.Add(new ContractError(JsonPaths.Root, ContractErrorCodes.ErrorLimitReached, $"More than {MaxErrors} violations; the rest are not listed."));
        }

        public void AddBeyondLimit(string path, string code, string message) => errors.Add(new ContractError(path, code, message));

        public ContractError[] ToArray() => errors.ToArray();
    }
}
