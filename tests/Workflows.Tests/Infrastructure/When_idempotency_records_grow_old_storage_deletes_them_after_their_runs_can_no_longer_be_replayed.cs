using System.Text.RegularExpressions;
using Cli.Iac;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping.Sap;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// An idempotency record kept per message (one per message and subscriber, or per dead letter and alert workflow) is
/// needed while a redelivery or a resubmitted run of its message can come: the run history's retention, plus a margin
/// for dead letters resubmitted later. A lifecycle management rule of the lake account deletes those records after that,
/// and nothing else: not the SAP order registry in the same container (an order's sales document, needed by its later
/// events), not the order log. Learn, "Lifecycle management policy structure" (prefixMatch: case-sensitive prefixes that
/// start with the container name; baseBlob delete daysAfterModificationGreaterThan),
/// https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-policy-structure.
/// </summary>
[TestClass]
public sealed partial class When_idempotency_records_grow_old_storage_deletes_them_after_their_runs_can_no_longer_be_replayed
{
    private const string PolicyType = "Microsoft.Storage/storageAccounts/managementPolicies";

    private static JObject OnlyRule(ArmTemplate template)
    {
        var policy = template.ExpandResources().Single(r => r.Type == PolicyType);
        var lakeAccount = (string?)template.Variable("names")["lakeStorageAccount"];
        Assert.AreEqual($"{lakeAccount}/default", policy.Name, "the policy belongs to the lake account, which holds the records");
        return (JObject)((JArray)policy.Json.SelectToken("properties.policy.rules")!).Single();
    }

    private static string[] Prefixes(JObject rule) => rule.SelectToken("definition.filters.prefixMatch")!.Values<string>().Select(p => p!).ToArray();

    private static int Days(JObject rule) => (int)rule.SelectToken("definition.actions.baseBlob.delete.daysAfterModificationGreaterThan")!;

    [TestMethod]
    public void The_lake_account_deletes_the_block_blobs_of_each_subscriber_s_records_and_nothing_else()
    {
        var rule = OnlyRule(RepositoryFiles.MainTemplate());

        Assert.AreEqual("Lifecycle", (string?)rule["type"]);
        Assert.IsTrue((bool?)rule["enabled"] ?? true);
        CollectionAssert.AreEqual(new[] { "blockBlob" }, rule.SelectToken("definition.filters.blobTypes")!.Values<string>().ToArray());
        CollectionAssert.AreEqual(
            new[] { "idempotency/sap-fulfillment", "idempotency/sms-notification", "idempotency/warehouse-inventory", "idempotency/lake-archive" },
            Prefixes(rule));
    }

    [TestMethod]
    public void Every_consumer_the_workflows_claim_for_is_matched_and_the_SAP_order_registry_is_not()
    {
        var prefixes = Prefixes(OnlyRule(RepositoryFiles.MainTemplate()));
        // The consumers named in the workflows (the alert workflows') and the subscriptions, whose names the subscriber
        // workflows pass as their consumer (parameters.json → app settings; defaults of main.bicep's workflowSettings).
        var literalConsumers = Directory.GetFiles(RepositoryRoot.PathOf("workflows"), "workflow.json", SearchOption.AllDirectories)
            .SelectMany(f => LiteralConsumer().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.HasCount(4, literalConsumers, string.Join(", ", literalConsumers));
        string[] subscriptions = ["sap-fulfillment", "sms-notification", "warehouse-inventory", "lake-archive"];

        foreach (var consumer in literalConsumers.Concat(subscriptions))
        {
            var record = $"idempotency/{consumer}/order-100482-created-v1.json";
            Assert.IsTrue(prefixes.Any(p => record.StartsWith(p, StringComparison.Ordinal)), $"{record} is never deleted");
        }
        var registry = "idempotency/" + SapSalesOrderRegistry.RecordName("100482");
        Assert.IsFalse(prefixes.Any(p => registry.StartsWith(p, StringComparison.Ordinal)), $"{registry} would be deleted");
    }

    [TestMethod]
    public void By_default_a_record_is_kept_90_days_after_its_last_change_past_the_30_days_of_run_history()
    {
        Assert.AreEqual(90, Days(OnlyRule(RepositoryFiles.MainTemplate())));
    }

    [TestMethod]
    public void The_dead_letter_tool_warns_with_the_retention_the_infrastructure_deploys()
    {
        Assert.AreEqual(Days(OnlyRule(RepositoryFiles.MainTemplate())), (int)LocalLogicApp.Operations.DeadLetterOperations.IdempotencyRecordsKept.TotalDays);
    }

    [TestMethod]
    public void A_longer_run_history_keeps_the_records_longer_by_the_same_margin()
    {
        var parameters = JObject.Parse("""{ "parameters": { "runRetentionInDays": { "value": 365 }, "idempotencyRetentionMarginDays": { "value": 30 } } }""");

        Assert.AreEqual(395, Days(OnlyRule(Bicep.CompiledInfrastructure.MainTemplate(parameters))));
    }

    [GeneratedRegex("\"consumer\":\\s*\"([a-z0-9-]+)\"")]
    private static partial Regex LiteralConsumer();
}
