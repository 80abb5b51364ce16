using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;

namespace LocalLogicApp.StandIns.Http;

/// <summary>One request as a stand-in sees it, independent of the HTTP server (tests can hand it in directly).</summary>
public sealed record StandInRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public static StandInRequest Json(string method, string path, JToken? body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(method.ToUpperInvariant(), path, new Dictionary<string, string>(),
            new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
            body?.ToString(Formatting.None) ?? "");

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The body <see cref="JsonBody"/> last parsed, and what it made of it: a stand-in asks for it more than once
    /// per request (the warehouse: its idempotency fingerprint, then the reservation), and parsing was most of a
    /// request's cost. Kept with the text it came from, so a copy made with another body parses its own.</summary>
    private ParsedBody? parsed;

    private sealed record ParsedBody(string Source, JToken? Json);

    /// <summary>The body parsed as JSON, or null when it is empty or not JSON. The stand-ins only read it: the same value
    /// is returned each time for the same body.</summary>
    public JToken? JsonBody()
    {
        if (parsed is { } cached && ReferenceEquals(cached.Source, Body)) return cached.Json;
        var json = Parse(Body);
        parsed = new ParsedBody(Body, json);
        return json;
    }

    /// <summary>Two requests are equal by what was asked (the parsed body is a cache, not part of the request).</summary>
    public bool Equals(StandInRequest? other) =>
        other is not null && Method == other.Method && Path == other.Path && Equals(Query, other.Query) && Equals(Headers, other.Headers) && Body == other.Body;

    public override int GetHashCode() => HashCode.Combine(Method, Path, Query, Headers, Body);

    private static JToken? Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonContent.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A stand-in's answer.</summary>
public sealed record StandInResponse(int StatusCode, JToken? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static StandInResponse Json(int statusCode, JToken body) => new(statusCode, body);
}

/// <summary>What a stand-in received and what it answered, in arrival order.</summary>
/// <param name="Sequence">1-based arrival number across all operations of the stand-in.</param>
/// <param name="CallNumber">1-based number of this call among the calls of the same operation.</param>
/// <param name="Fault">The injected fault, described, or null for a normal answer.</param>
public sealed record RecordedRequest(
    int Sequence,
    string Operation,
    int CallNumber,
    DateTimeOffset ReceivedAt,
    StandInRequest Request,
    int? StatusCode,
    JToken? ResponseBody,
    string? Fault);
