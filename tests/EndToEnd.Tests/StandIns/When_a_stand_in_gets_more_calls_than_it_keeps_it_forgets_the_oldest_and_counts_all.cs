using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.StandIns.Teams;
using LocalLogicApp.StandIns.Twilio;
using LocalLogicApp.StandIns.Warehouse;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.StandIns;

/// <summary>A long <c>run</c> sends the stand-ins hundreds of thousands of calls: they keep the newest
/// <c>RecordLimit</c> records and count all, and what they hold as state (reservations, stored answers, sales orders)
/// does not depend on the records.</summary>
[TestClass]
public sealed class When_a_stand_in_gets_more_calls_than_it_keeps_it_forgets_the_oldest_and_counts_all
{
    [TestMethod]
    public async Task Twilio_keeps_the_newest_requests_and_messages_and_counts_every_one()
    {
        await using var twilio = new TwilioStandIn { RecordLimit = 2 };

        for (var i = 1; i <= 5; i++) await twilio.SendAsync(Sms($"message {i}"));

        CollectionAssert.AreEqual(new[] { 4, 5 }, twilio.Requests.Select(r => r.Sequence).ToArray());
        CollectionAssert.AreEqual(new[] { "message 4", "message 5" }, twilio.SentMessages.Select(m => m.Body).ToArray());
        Assert.AreEqual(5L, twilio.RequestCount);
        Assert.AreEqual(5L, twilio.SentCount);
    }

    [TestMethod]
    public async Task With_records_off_nothing_is_kept_and_everything_is_counted()
    {
        await using var twilio = new TwilioStandIn { KeepRecords = false };

        await twilio.SendAsync(Sms("one"));
        await twilio.SendAsync(Sms("two"));

        Assert.IsEmpty(twilio.Requests);
        Assert.IsEmpty(twilio.SentMessages);
        Assert.AreEqual(2L, twilio.RequestCount);
        Assert.AreEqual(2L, twilio.SentCount);
    }

    [TestMethod]
    public async Task Teams_keeps_the_newest_cards_and_counts_every_one()
    {
        await using var teams = new TeamsStandIn { RecordLimit = 1 };

        await teams.SendAsync(Card("first"));
        await teams.SendAsync(Card("second"));

        Assert.HasCount(1, teams.PostedCards);
        StringAssert.Contains(teams.PostedCards[0].Text, "second");
        Assert.AreEqual(2L, teams.PostedCount);
    }

    [TestMethod]
    public async Task The_warehouse_replays_a_stored_answer_after_its_records_are_gone()
    {
        await using var warehouse = new WarehouseStandIn { RecordLimit = 1 };
        warehouse.SetStock("SKU-1", 10);
        var key = new string('a', 64);

        var created = await warehouse.SendAsync(Reserve("ORD-1", 3, key));
        await warehouse.SendAsync(Reserve("ORD-2", 1, new string('b', 64)));
        var replayed = await warehouse.SendAsync(Reserve("ORD-1", 3, key));

        Assert.AreEqual(201, created.StatusCode);
        Assert.AreEqual(200, replayed.StatusCode);
        Assert.IsTrue(JToken.DeepEquals(created.Body, replayed.Body));
        Assert.AreEqual("/reservations/ORD-1", replayed.Headers!["Location"]);
        Assert.AreEqual("true", replayed.Headers!["Idempotent-Replayed"]);
        Assert.AreEqual(6m, warehouse.StockOf("SKU-1"));
        CollectionAssert.AreEqual(new[] { "ORD-2" }, warehouse.ReservationHistory.Select(r => r.OrderId).ToArray());
        Assert.AreEqual(2L, warehouse.ReservationChangeCount);
        Assert.AreEqual(2, warehouse.StoredAnswerCount);
        Assert.AreEqual(3L, warehouse.RequestCount);
    }

    [TestMethod]
    public async Task The_warehouse_replays_a_replace_with_its_own_answer_even_after_a_later_change()
    {
        await using var warehouse = new WarehouseStandIn { KeepRecords = false };
        warehouse.SetStock("SKU-1", 10);
        await warehouse.SendAsync(Reserve("ORD-1", 3, new string('a', 64)));
        var replaceKey = new string('c', 64);

        var replaced = await warehouse.SendAsync(Replace("ORD-1", 4, replaceKey));
        await warehouse.SendAsync(Replace("ORD-1", 5, new string('d', 64)));
        var replayed = await warehouse.SendAsync(Replace("ORD-1", 4, replaceKey));

        Assert.AreEqual(200, replaced.StatusCode);
        Assert.AreEqual(4m, replayed.Body!["lines"]![0]!.Value<decimal>("quantity"));
        Assert.IsFalse(replayed.Headers!.ContainsKey("Location"));
        Assert.AreEqual(5m, warehouse.Reservations["ORD-1"].Lines[0].Quantity);
    }

    [TestMethod]
    public void SAP_keeps_the_newest_calls_numbered_among_all_and_still_refuses_a_duplicate_purchase_order()
    {
        var sap = new FakeSapSystem { RecordLimit = 1 };

        sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", When_SAP_receives_a_sales_order_it_holds_it_until_commit.CreateXml("PO-1"), autoCommit: true);
        sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", When_SAP_receives_a_sales_order_it_holds_it_until_commit.CreateXml("PO-2"), autoCommit: true);
        var again = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", When_SAP_receives_a_sales_order_it_holds_it_until_commit.CreateXml("PO-1"), autoCommit: true);

        Assert.IsTrue(again.HasErrors);
        Assert.HasCount(1, sap.Calls);
        Assert.AreEqual(3, sap.Calls[0].Sequence);
        Assert.AreEqual("BusinessError", sap.Calls[0].Outcome);
        Assert.AreEqual(3L, sap.CallCount);
        Assert.HasCount(2, sap.SalesOrders);
    }

    private static StandInRequest Sms(string text) =>
        StandInRequest.Json("POST", "/Messages.json", new JObject { ["from"] = "+15005550006", ["to"] = "+4915112345678", ["body"] = text });

    private static StandInRequest Card(string text) => StandInRequest.Json("POST", "/v1.0/teams/conversation/adaptivecard/poster/Flow bot/location/Channel",
        new JObject
        {
            ["recipient"] = new JObject { ["groupId"] = "team", ["channelId"] = "channel" },
            ["messageBody"] = new JObject
            {
                ["type"] = "AdaptiveCard",
                ["version"] = "1.4",
                ["body"] = new JArray(new JObject { ["type"] = "TextBlock", ["text"] = text }),
            }.ToString(),
        });

    private static StandInRequest Reserve(string orderId, int quantity, string key) => StandInRequest.Json("POST", "/reservations",
        new JObject { ["orderId"] = orderId, ["lines"] = new JArray(new JObject { ["sku"] = "SKU-1", ["quantity"] = quantity }) },
        new Dictionary<string, string> { ["Idempotency-Key"] = key });

    private static StandInRequest Replace(string orderId, int quantity, string key) => StandInRequest.Json("PUT", $"/reservations/{orderId}",
        new JObject { ["orderId"] = orderId, ["lines"] = new JArray(new JObject { ["sku"] = "SKU-1", ["quantity"] = quantity }) },
        new Dictionary<string, string> { ["Idempotency-Key"] = key });
}
