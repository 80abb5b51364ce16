using System.Net;
using System.Text;
using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Twilio;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.StandIns;

[TestClass]
public sealed class When_a_downstream_is_asked_to_fail_it_fails_exactly_the_planned_calls
{
    private static readonly JObject ValidSms = new() { ["from"] = "+15005550006", ["to"] = "+4915112345678", ["body"] = "Your order ORD-1 is confirmed." };

    [TestMethod]
    public async Task The_next_two_calls_are_throttled_with_Retry_After_and_the_third_succeeds_over_HTTP()
    {
        await using var twilio = new TwilioStandIn();
        await twilio.StartAsync();
        twilio.Faults.FailNext(2, HttpFault.TooManyRequests(TimeSpan.FromSeconds(7)), TwilioStandIn.SendMessageOperation);
        using var http = new HttpClient { BaseAddress = twilio.BaseUri };

        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.PostAsync("Messages.json", new StringContent(ValidSms.ToString(), Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString();
        }

        CollectionAssert.AreEqual(new[] { HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.Created }, statuses);
        Assert.AreEqual("7", retryAfter);
        Assert.HasCount(1, twilio.SentMessages);
        Assert.HasCount(3, twilio.Requests);
        Assert.AreEqual("429", twilio.Requests[0].Fault);
        Assert.IsNull(twilio.Requests[2].Fault);
    }

    [TestMethod]
    public async Task A_fault_for_call_number_two_leaves_calls_one_and_three_alone()
    {
        await using var twilio = new TwilioStandIn();
        twilio.Faults.FailCall(2, HttpFault.ServerError(503));

        var first = await twilio.SendAsync(Sms());
        var second = await twilio.SendAsync(Sms());
        var third = await twilio.SendAsync(Sms());

        Assert.AreEqual(201, first.StatusCode);
        Assert.AreEqual(503, second.StatusCode);
        Assert.AreEqual(201, third.StatusCode);
        Assert.HasCount(2, twilio.SentMessages);
    }

    [TestMethod]
    public async Task A_timeout_fault_never_answers_so_the_callers_own_timeout_decides()
    {
        await using var twilio = new TwilioStandIn();
        await twilio.StartAsync();
        twilio.Faults.FailNext(1, HttpFault.Timeout());
        using var http = new HttpClient { BaseAddress = twilio.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var callerGivesUp = new CancellationTokenSource();

        var hanging = http.PostAsync("Messages.json", new StringContent(ValidSms.ToString(), Encoding.UTF8, "application/json"), callerGivesUp.Token);
        // The caller gives up only once the stand-in has taken the call (and with it the planned fault): giving up on a
        // timer could cancel before the request arrives on a busy machine, leaving the fault for the next call.
        await WaitUntil(() => twilio.Faults.CallsOf(TwilioStandIn.SendMessageOperation) == 1, "the stand-in to receive the first call");
        callerGivesUp.Cancel();
        await Assert.ThrowsAsync<TaskCanceledException>(() => hanging);
        using var next = await http.PostAsync("Messages.json", new StringContent(ValidSms.ToString(), Encoding.UTF8, "application/json"));

        Assert.AreEqual(HttpStatusCode.Created, next.StatusCode);
        Assert.HasCount(1, twilio.SentMessages);
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (limit.IsCancellationRequested) Assert.Fail($"Gave up waiting for {what}.");
            await Task.Yield();
            await Task.Delay(5, CancellationToken.None);
        }
    }

    private static LocalLogicApp.StandIns.Http.StandInRequest Sms() =>
        LocalLogicApp.StandIns.Http.StandInRequest.Json("POST", "/Messages.json", ValidSms);
}
