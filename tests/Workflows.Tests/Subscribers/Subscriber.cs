using System.Globalization;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

/// <summary>
/// The four subscriber workflows as the data-driven specs of this folder see them (one <c>[DataRow]</c> per
/// subscriber): what differs between them is how their trigger settles (the session operations, or the V2 peek-lock
/// operations of a topic subscription), what their work downstream is, and how that downstream fails.
/// </summary>
internal sealed record Subscriber(string Workflow, string Subscription, bool Sessions, string TransientFailure)
{
    public const string MessageId = "order-100482-created-v1";
    public const string CorrelationId = "c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70";

    private static readonly ConnectorResponse TwilioUnavailable = new(503, new JObject { ["code"] = 20503, ["message"] = "Service unavailable" });

    public static Subscriber Named(string workflow) => workflow switch
    {
        "SapFulfillment" => new(workflow, "sap-fulfillment", Sessions: true, "Call_SAP_BAPI ended Failed with HTTP 502"),
        "SmsNotification" => new(workflow, "sms-notification", Sessions: false, "Send_SMS ended Failed with HTTP 503"),
        "WarehouseInventory" => new(workflow, "warehouse-inventory", Sessions: true, "Call_the_warehouse_API ended Failed with HTTP 503"),
        "LakeArchive" => new(workflow, "lake-archive", Sessions: false, "Archive_the_order_event ended Failed"),
        _ => throw new ArgumentException($"'{workflow}' is not a subscriber workflow.", nameof(workflow)),
    };

    public string Complete => Sessions ? "completeMessageInSession" : "completeTopicMessageV2";

    public string Abandon => Sessions ? "abandonMessageInSession" : "abandonTopicMessageV2";

    public string DeadLetter => Sessions ? "deadLetterMessageInSession" : "deadLetterTopicMessageV2";

    /// <summary>A scenario in which the subscription hands a message out at most <paramref name="maxDeliveries"/>
    /// times (the workflow reads the limit from its app setting); short retry scenarios keep it low.</summary>
    public WorkflowScenario Scenario(int? maxDeliveries = null) => new(maxDeliveries is { } max
        ? new Dictionary<string, string> { [$"Orders_{Workflow}MaxDeliveryCount"] = max.ToString(CultureInfo.InvariantCulture) }
        : null);

    /// <summary>What the subscriber did downstream: SAP BAPI calls, SMS sent through Twilio (a list call is a question,
    /// not work), warehouse requests, lake files.</summary>
    public async Task<int> WorkDone(WorkflowScenario scenario) => Workflow switch
    {
        "SapFulfillment" => scenario.Sap.BapiCalls.Count,
        "SmsNotification" => scenario.TwilioSends.Count,
        "WarehouseInventory" => scenario.Warehouse.Requests.Count,
        _ => (await scenario.Objects("orders-lake", "orders/")).Count,
    };

    /// <summary>The downstream fails transiently through the next <paramref name="deliveries"/> deliveries, each
    /// delivery's own retries included: SAP's RFC call (no retry policy), Send_SMS (two retries), the warehouse API
    /// call (four retries), the lake (one storage call, no retry).</summary>
    public void FailTransiently(WorkflowScenario scenario, int deliveries)
    {
        switch (Workflow)
        {
            case "SapFulfillment":
                scenario.Sap.FailNextCalls(deliveries);
                break;
            case "SmsNotification":
                scenario.AnswerTwilioWith(TwilioUnavailable, times: 3 * deliveries);
                break;
            case "WarehouseInventory":
                for (var i = 0; i < 5 * deliveries; i++) scenario.Warehouse.Then(503);
                break;
            default:
                scenario.Store.MakeUnavailable("orders-lake", calls: deliveries);
                break;
        }
    }

    /// <summary>The settlement names what it settles: the message id for a session, the topic and subscription for a
    /// V2 peek-lock settlement.</summary>
    public void ShouldBeSettledOnItsEntity(Settlement settlement, string messageId)
    {
        if (Sessions)
        {
            Assert.AreEqual(messageId, settlement.Parameters.Value<string>("messageId"));
        }
        else
        {
            Assert.AreEqual("orders", settlement.Parameters.Value<string>("topicName"));
            Assert.AreEqual(Subscription, settlement.Parameters.Value<string>("subscriptionName"));
        }
    }

    public override string ToString() => Workflow;
}
