using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Actions;

/// <summary>
/// <c>inputs.retryPolicy</c> (https://learn.microsoft.com/azure/logic-apps/error-exception-handling#retry-policies): retried on 408, 429, 5xx and connection failures; other 4xx are
/// final. Default = exponential, 4 retries, intervals scaling by 7.5 s capped between 5 and 45 s.
/// </summary>
internal sealed record RetryPolicy(string Type, int Count, TimeSpan Interval, TimeSpan Minimum, TimeSpan Maximum)
{
    public const int MaxCount = 90;

    public static readonly RetryPolicy Default = new("exponential", 4, TimeSpan.FromSeconds(7.5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(45));
    public static readonly RetryPolicy None = new("none", 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public static RetryPolicy Read(JToken? policy, string actionName)
    {
        if (policy is null || policy.Type == JTokenType.Null) return Default;
        if (policy is not JObject json) throw Invalid(actionName, "retryPolicy must be an object.");
        var type = json.Value<string>("type")?.ToLowerInvariant() ?? "default";
        switch (type)
        {
            case "default":
                return Default;
            case "none":
                return None;
            case "fixed":
            case "exponential":
                var count = json["count"]?.Type == JTokenType.Integer ? (int)json["count"]! : -1;
                if (count is < 1 or > MaxCount) throw Invalid(actionName, $"retryPolicy.count must be from 1 to {MaxCount}.");
                var interval = Duration(json["interval"], actionName, "interval") ?? throw Invalid(actionName, "retryPolicy.interval is required.");
                var minimum = Duration(json["minimumInterval"], actionName, "minimumInterval") ?? (type == "fixed" ? interval : TimeSpan.FromSeconds(5));
                var maximum = Duration(json["maximumInterval"], actionName, "maximumInterval") ?? TimeSpan.FromDays(1);
                return new RetryPolicy(type, count, interval, minimum, maximum);
            default:
                throw Invalid(actionName, $"retryPolicy.type '{type}' is not one of default, none, fixed, exponential.");
        }
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan Delay(int retry, Random random)
    {
        if (Type == "fixed") return Interval;
        var lower = retry == 1 ? Minimum : Max(Scale(Interval, Math.Pow(2, retry - 2)), Minimum);
        var upper = Min(Scale(Interval, Math.Pow(2, retry - 1)), Maximum);
        if (upper < lower) upper = lower;
        return lower + TimeSpan.FromTicks((long)(random.NextDouble() * (upper - lower).Ticks));
    }

    public static bool IsRetriable(int statusCode) => statusCode is 408 or 429 or >= 500;

    private static TimeSpan Scale(TimeSpan span, double factor) => TimeSpan.FromTicks((long)Math.Min(span.Ticks * factor, TimeSpan.MaxValue.Ticks / 2.0));
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan? Duration(JToken? token, string actionName, string name)
    {
        if (token is null) return null;
        return Durations.TryParse(token.ToString(), out var value) ? value : throw Invalid(actionName, $"retryPolicy.{name} '{token}' is not an ISO 8601 duration.");
    }

    private static ActionFailure Invalid(string actionName, string message) =>
        ActionFailure.BadRequest("InvalidRetryPolicy", $"The retry policy of action '{actionName}' is not valid: {message}");
}

/// <summary>Sends one logical request with its retry policy and records the retry history.</summary>
internal static class Retrying
{
    /// <summary>One attempt's result: a response, or the connection failure that stands for one.</summary>
    public readonly record struct Attempt(ConnectorResponse? Response, Exception? Failure, TimeSpan? RetryAfter);

    public static async Task<Attempt> SendAsync(ActionContext context, RetryPolicy policy, Func<CancellationToken, Task<Attempt>> send)
    {
        var clock = context.Execution.Clock;
        var history = new List<RetryAttempt>();
        var random = context.Engine.Random;
        for (var attemptNumber = 0; ; attemptNumber++)
        {
            var started = clock.GetUtcNow();
            var attempt = await send(context.CancellationToken).ConfigureAwait(false);
            var retriable = attempt.Failure is not null || RetryPolicy.IsRetriable(attempt.Response!.StatusCode);
            if (!retriable || attemptNumber >= policy.Count)
            {
                context.Record.RetryHistory = history;
                return attempt;
            }
            var code = attempt.Response is { } response ? HttpCodes.Name(response.StatusCode) : "ConnectionFailure";
            JObject? error = attempt.Failure is { } failure ? new JObject { ["code"] = "ConnectionFailure", ["message"] = failure.Message } : null;
            history.Add(new RetryAttempt(started, clock.GetUtcNow(), code, Guid.NewGuid().ToString(), error));
            var wait = attempt.RetryAfter ?? policy.Delay(attemptNumber + 1, random);
            await context.Engine.DelayAsync(wait, context.CancellationToken).ConfigureAwait(false);
        }
    }
}

internal static class HttpCodes
{
    /// <summary>The .NET <c>HttpStatusCode</c> name Logic Apps uses as the action <c>code</c> ("NotFound"), or the number.</summary>
    public static string Name(int statusCode) =>
        Enum.IsDefined(typeof(System.Net.HttpStatusCode), statusCode)
            ? ((System.Net.HttpStatusCode)statusCode).ToString()
            : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
