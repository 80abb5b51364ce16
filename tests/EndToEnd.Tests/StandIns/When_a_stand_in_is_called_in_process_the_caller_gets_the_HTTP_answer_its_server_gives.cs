using System.Net.Http.Headers;
using System.Text;
using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Warehouse;
using Newtonsoft.Json.Linq;
using TestSupport;

namespace EndToEnd.Tests.StandIns;

/// <summary>
/// The simulator calls the HTTP stand-ins through <see cref="InProcessStandInHandler"/> instead of a loopback socket:
/// what the caller sees must be what the stand-in's own HTTP server answers (the HTTP action's contract: status,
/// headers such as <c>Location</c>, <c>Retry-After</c> and <c>Idempotent-Replayed</c>, the content type and the body's bytes).
/// Two warehouses with the same clock get the same calls, one over its server, one in process.
/// </summary>
[TestClass]
public sealed class When_a_stand_in_is_called_in_process_the_caller_gets_the_HTTP_answer_its_server_gives
{
    private static readonly string[] StandInHeaders = ["Location", "Retry-After", "Idempotent-Replayed"];

    [TestMethod]
    public async Task Status_headers_content_type_and_body_bytes_are_the_same()
    {
        var clock = new ManualClock(new DateTimeOffset(2024, 5, 1, 9, 30, 0, TimeSpan.Zero));
        await using var overHttp = new WarehouseStandIn(clock);
        await using var inProcess = new WarehouseStandIn(clock);
        await overHttp.StartAsync();
        await inProcess.StartAsync();
        foreach (var warehouse in new[] { overHttp, inProcess })
        {
            warehouse.SetStock("SKU-1", 5);
            warehouse.Faults.FailCall(4, HttpFault.TooManyRequests(TimeSpan.FromSeconds(7)));
        }
        using var socketClient = new HttpClient();
        using var inProcessClient = new HttpClient(new InProcessStandInHandler([inProcess], new SocketsHttpHandler()));

        // created (201, Location), replayed (200, Idempotent-Replayed), key reused (409, problem+json), throttled (429,
        // Retry-After), short of stock (422), not found (404).
        (string Method, string Path, string Key, JObject? Body)[] calls =
        [
            ("POST", "reservations", new string('1', 64), Reservation("ORD-1", 2)),
            ("POST", "reservations", new string('1', 64), Reservation("ORD-1", 2)),
            ("POST", "reservations", new string('1', 64), Reservation("ORD-1", 3)),
            ("POST", "reservations", new string('2', 64), Reservation("ORD-2", 1)),
            ("POST", "reservations", new string('3', 64), Reservation("ORD-3", 9)),
            ("GET", "nothing/here?x=%C3%A9&y", new string('4', 64), null),
        ];
        foreach (var (method, path, key, body) in calls)
        {
            using var viaSocket = await socketClient.SendAsync(Request(overHttp.BaseUri, method, path, key, body));
            using var viaHandler = await inProcessClient.SendAsync(Request(inProcess.BaseUri, method, path, key, body));

            Assert.IsNotNull(viaSocket.Headers.Date, "Kestrel dates its answers");
            Assert.IsNull(viaHandler.Headers.Date, "answered in process, not by the stand-in's server");
            Assert.AreEqual(viaSocket.StatusCode, viaHandler.StatusCode, $"{method} {path}");
            foreach (var name in StandInHeaders)
            {
                Assert.AreEqual(Header(viaSocket, name), Header(viaHandler, name), $"{name} of {method} {path}");
            }
            Assert.AreEqual(viaSocket.Content.Headers.ContentType?.ToString(), viaHandler.Content.Headers.ContentType?.ToString(), $"{method} {path}");
            CollectionAssert.AreEqual(await viaSocket.Content.ReadAsByteArrayAsync(), await viaHandler.Content.ReadAsByteArrayAsync(), $"{method} {path}");
        }
    }

    private static JObject Reservation(string orderId, int quantity) =>
        new() { ["orderId"] = orderId, ["lines"] = new JArray(new JObject { ["sku"] = "SKU-1", ["quantity"] = quantity, ["note"] = "Zoë" }) };

    private static HttpRequestMessage Request(Uri baseUri, string method, string path, string key, JObject? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(baseUri, path));
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToString(Newtonsoft.Json.Formatting.None), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        }
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}
