using Newtonsoft.Json.Linq;

namespace LocalLogicApp.StandIns.Faults;

/// <summary>
/// What an HTTP stand-in does instead of (or before) answering normally. <see cref="Delay"/> holds the answer
/// back; with <see cref="Hang"/> it never answers, so the caller's own timeout decides (a downstream that
/// stopped responding). A fault with no status code only delays and then answers normally.
/// </summary>
public sealed record HttpFault
{
    public int? StatusCode { get; init; }
    public JToken? Body { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public TimeSpan Delay { get; init; }
    public bool Hang { get; init; }

    /// <summary>Throttled: 429 with <c>Retry-After</c> in whole seconds, as Azure and most APIs send it.</summary>
    public static HttpFault TooManyRequests(TimeSpan retryAfter) => new()
    {
        StatusCode = 429,
        Headers = new Dictionary<string, string> { ["Retry-After"] = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Body = new JObject { ["error"] = new JObject { ["code"] = "TooManyRequests", ["message"] = "Rate limit is exceeded. Try again later." } },
    };

    /// <summary>A transient server error (500, 502, 503, 504).</summary>
    public static HttpFault ServerError(int statusCode = 500, string message = "The server had an internal error.") => new()
    {
        StatusCode = statusCode is >= 500 and <= 599 ? statusCode : throw new ArgumentOutOfRangeException(nameof(statusCode), "A server error is a 5xx status."),
        Body = new JObject { ["error"] = new JObject { ["code"] = "ServerError", ["message"] = message } },
    };

    /// <summary>A business rejection: a 4xx with the body the downstream would send.</summary>
    public static HttpFault Reject(int statusCode, JToken body) => new()
    {
        StatusCode = statusCode is >= 400 and <= 499 ? statusCode : throw new ArgumentOutOfRangeException(nameof(statusCode), "A rejection is a 4xx status."),
        Body = body,
    };

    /// <summary>Answers normally, but only after <paramref name="delay"/> (measured on the stand-in's clock).</summary>
    public static HttpFault Slow(TimeSpan delay) => new() { Delay = delay };

    /// <summary>Never answers: the caller times out (or gives up and closes the connection).</summary>
    public static HttpFault Timeout() => new() { Hang = true };
}
