using LocalLogicApp.Reporting;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.Reporting;

/// <summary>The per-order report of <c>run --once</c> and <c>runs show</c> says what the warehouse answered: a success
/// with the reservation it holds, a refusal with its problem details (whose <c>status</c> is the HTTP status, not a
/// reservation's state).</summary>
[TestClass]
public sealed class When_the_warehouse_refuses_a_change_the_report_gives_its_problem_details
{
    [TestMethod]
    public void A_refusal_is_reported_with_its_title_and_detail()
    {
        var problem = JObject.Parse("""{ "type": "about:blank", "title": "Reservation not found", "status": 404, "detail": "Order '100487' holds no reservation.", "code": "ReservationNotFound" }""");

        var text = SubscriberRuns.WarehouseAnswer("replaceReservation", 404, problem, error: null);

        Assert.AreEqual("replaceReservation → 404: Reservation not found: Order '100487' holds no reservation.", text);
    }

    [TestMethod]
    public void A_success_is_reported_with_the_reservation_and_its_lines()
    {
        var reservation = JObject.Parse("""{ "orderId": "100486", "status": "reserved", "lines": [ { "sku": "SKU-1", "quantity": 2 }, { "sku": "SKU-2", "quantity": 1 } ] }""");

        var text = SubscriberRuns.WarehouseAnswer("createReservation", 201, reservation, error: null);

        Assert.AreEqual("createReservation → 201: reservation reserved (SKU-1 x2, SKU-2 x1)", text);
    }

    [TestMethod]
    public void A_call_with_no_answer_is_reported_with_its_error()
    {
        Assert.AreEqual("createReservation → : the operation timed out", SubscriberRuns.WarehouseAnswer("createReservation", null, null, "the operation timed out"));
    }
}
