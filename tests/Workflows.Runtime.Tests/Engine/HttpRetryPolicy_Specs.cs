using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class HttpRetryPolicy_Specs
{
    private static string Call(string retryPolicy = "") => $$"""
        { "Call": { "type": "Http", "runAfter": {}, "inputs": { "method": "POST", "uri": "https://warehouse.example/api/stock",
            "queries": { "site": "north 1" }, "headers": { "Idempotency-Key": "k-1" }, "body": { "sku": "A" } {{retryPolicy}} } } }
        """;

    [TestMethod]
    public async Task A_successful_call_records_status_headers_and_the_parsed_JSON_body()
    {
        using var host = Inline.Host(Call());
        host.Http.Then(200, """{"reserved":true}""", ("x-warehouse-request", "r-1"));

        var run = await host.RunAsync();

        var call = run.Action("Call");
        Assert.AreEqual(WorkflowStatus.Succeeded, call.Status, run.Describe());
        Assert.AreEqual("OK", call.Code);
        Assert.AreEqual(200, (int)call.Outputs!["statusCode"]!);
        Assert.AreEqual(true, (bool)call.Outputs["body"]!["reserved"]!);
        Assert.AreEqual("r-1", (string?)call.Outputs["headers"]!["x-warehouse-request"]);
        var request = host.Http.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual("https://warehouse.example/api/stock?site=north%201", request.Uri.AbsoluteUri);
        Assert.AreEqual("k-1", request.Headers["Idempotency-Key"]);
        Assert.AreEqual("""{"sku":"A"}""", request.Body);
    }

    [TestMethod]
    public async Task The_default_policy_retries_a_5xx_four_times_with_exponential_waits_then_fails_with_the_last_response()
    {
        using var host = Inline.Host(Call());
        host.Http.Respond(_ => FakeHttpHandler.Response(503, """{"error":{"code":"Busy","message":"try later"}}"""));

        var run = await host.RunAsync();

        var call = run.Action("Call");
        Assert.AreEqual(5, host.Http.Requests.Count, "one try and four retries");
        Assert.AreEqual(WorkflowStatus.Failed, call.Status);
        Assert.AreEqual("ServiceUnavailable", call.Code);
        Assert.AreEqual(503, (int)call.Outputs!["statusCode"]!);
        Assert.AreEqual("try later", call.Error!.Value<string>("message"));
        Assert.AreEqual(4, call.RetryHistory.Count);
        Assert.IsTrue(call.RetryHistory.All(r => r.Code == "ServiceUnavailable"));
        var waits = host.Clock.Waits;
        Assert.AreEqual(4, waits.Count);
        Assert.IsTrue(waits.All(w => w >= TimeSpan.FromSeconds(5) && w <= TimeSpan.FromSeconds(45)), string.Join(", ", waits));
    }

    [TestMethod]
    public async Task A_fixed_policy_waits_its_interval_between_attempts_and_succeeds_when_the_service_recovers()
    {
        using var host = Inline.Host(Call(""", "retryPolicy": { "type": "fixed", "count": 3, "interval": "PT20S" }"""));
        host.Http.Then(500).Then(429).Then(200, "{}");

        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Call").Status);
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20) }, host.Clock.Waits.ToArray());
        CollectionAssert.AreEqual(new[] { "InternalServerError", "TooManyRequests" }, run.Action("Call").RetryHistory.Select(r => r.Code).ToArray());
    }

    [TestMethod]
    public async Task Retry_After_from_the_service_overrides_the_policy_interval()
    {
        using var host = Inline.Host(Call(""", "retryPolicy": { "type": "fixed", "count": 2, "interval": "PT20S" }"""));
        host.Http.Then(429, null, ("Retry-After", "3")).Then(200, "{}");

        await host.RunAsync();

        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(3) }, host.Clock.Waits.ToArray());
    }

    [TestMethod]
    public async Task A_4xx_other_than_408_and_429_is_not_retried()
    {
        using var host = Inline.Host(Call());
        host.Http.Respond(_ => FakeHttpHandler.Response(404, """{"message":"no such sku"}"""));

        var run = await host.RunAsync();

        Assert.AreEqual(1, host.Http.Requests.Count);
        Assert.AreEqual("NotFound", run.Action("Call").Code);
        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Call").Status);
    }

    [TestMethod]
    public async Task Policy_none_makes_a_single_attempt()
    {
        using var host = Inline.Host(Call(""", "retryPolicy": { "type": "none" }"""));
        host.Http.Respond(_ => FakeHttpHandler.Response(500));

        await host.RunAsync();

        Assert.AreEqual(1, host.Http.Requests.Count);
        Assert.AreEqual(0, host.Clock.Waits.Count);
    }

    [TestMethod]
    public async Task Connection_failures_are_retried_and_fail_the_action_without_outputs()
    {
        using var host = Inline.Host(Call(""", "retryPolicy": { "type": "fixed", "count": 1, "interval": "PT5S" }"""));
        host.Http.Respond(_ => throw new HttpRequestException("Connection refused"));

        var run = await host.RunAsync();

        Assert.AreEqual(2, host.Http.Requests.Count);
        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Call").Status);
        Assert.IsNull(run.Action("Call").Outputs);
        StringAssert.Contains(run.Action("Call").Error!.Value<string>("message"), "Connection refused");
        Assert.AreEqual("ConnectionFailure", run.Action("Call").RetryHistory.Single().Code);
    }

    [TestMethod]
    public async Task An_exponential_policy_draws_each_wait_from_its_growing_range()
    {
        using var host = Inline.Host(Call(""", "retryPolicy": { "type": "exponential", "count": 3, "interval": "PT10S", "minimumInterval": "PT5S", "maximumInterval": "PT1H" }"""));
        host.Http.Respond(_ => FakeHttpHandler.Response(502));

        await host.RunAsync();

        var waits = host.Clock.Waits;
        Assert.IsTrue(waits[0] >= TimeSpan.FromSeconds(5) && waits[0] <= TimeSpan.FromSeconds(10), waits[0].ToString());
        Assert.IsTrue(waits[1] >= TimeSpan.FromSeconds(10) && waits[1] <= TimeSpan.FromSeconds(20), waits[1].ToString());
        Assert.IsTrue(waits[2] >= TimeSpan.FromSeconds(20) && waits[2] <= TimeSpan.FromSeconds(40), waits[2].ToString());
    }

    [TestMethod]
    public async Task A_202_with_Location_is_polled_until_the_operation_completes()
    {
        using var host = Inline.Host(Call(""", "retryPolicy": { "type": "none" }"""));
        host.Http.Then(202, null, ("Location", "https://warehouse.example/ops/1"), ("Retry-After", "2"))
            .Then(202, null, ("Location", "https://warehouse.example/ops/1"))
            .Then(200, """{"done":true}""");

        var run = await host.RunAsync();

        Assert.AreEqual(true, (bool)run.Action("Call").Outputs!["body"]!["done"]!);
        Assert.AreEqual("GET", host.Http.Requests[1].Method);
        Assert.AreEqual("https://warehouse.example/ops/1", host.Http.Requests[2].Uri.AbsoluteUri);
        Assert.AreEqual(TimeSpan.FromSeconds(2), host.Clock.Waits[0]);
    }

    [TestMethod]
    public async Task An_action_timeout_turns_a_hanging_call_into_TimedOut()
    {
        using var host = Inline.Host("""
            { "Call": { "type": "Http", "limit": { "timeout": "PT30S" }, "runAfter": {}, "inputs": { "method": "GET", "uri": "https://slow.example/", "retryPolicy": { "type": "none" } } },
              "OnTimeout": { "type": "Compose", "inputs": "timed out", "runAfter": { "Call": ["TimedOut"] } } }
            """);
        var hanging = new TaskCompletionSource<HttpResponseMessage>();
        host.UseHttp(new HangingHandler(hanging.Task, () => host.Clock.Advance(TimeSpan.FromSeconds(31))));

        var run = await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(WorkflowStatus.TimedOut, run.Action("Call").Status);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("OnTimeout").Status);
    }

    /// <summary>Never answers; once the request is in flight it moves the clock past the action's timeout.</summary>
    private sealed class HangingHandler(Task<HttpResponseMessage> never, Action whenSent) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            whenSent();
            return never;
        }
    }
}
