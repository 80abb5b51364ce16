using System.Reflection;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// When a subscriber's message lock expires while its run still works (a slow SAP call, warehouse retries), the
/// broker delivers the message again. The redelivery must find the first run's idempotency claim still live
/// (InProgressElsewhere: back off) and never take it over as expired (which would repeat the side effect). Rule:
/// lease ≥ LockDuration + the worst-case waits of the work before the classifier (<see cref="WorstCaseWaits"/>), and always longer
/// than the lock. The lease is what the claiming step (a function with a <c>leaseSeconds</c>) receives as <c>leaseSeconds</c>, resolved through
/// parameters.json and the settings template, or the function's default when the workflow passes none.
/// </summary>
internal static class LeaseOutlastsTheLock
{
    public static readonly int DefaultLeaseSeconds = (int)typeof(OrderEventFunctions).GetMethod(nameof(OrderEventFunctions.BeginIdempotency))!
        .GetParameters().Single(p => p.Name == "leaseSeconds").DefaultValue!;

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var (name, workflow) in files.Workflows)
        {
            var begins = IdempotentSteps.Claiming(name, workflow).ToArray();
            if (begins.Length == 0) continue;
            if (WorstCaseWaits.TriggerLock(files, name) is not { } trigger)
            {
                problems.Add($"{name}: claims idempotency but is not triggered by a queue or subscription; this check cannot find its lock.");
                continue;
            }
            var (entity, lockDuration) = trigger;
            var budget = WorstCaseWaits.Of(name, IdempotentSteps.Work(workflow), "actions");
            problems.AddRange(budget.Problems);
            foreach (var begin in begins)
            {
                var lease = LeaseOf(files, begin, out var source, out var problem);
                if (problem is not null) { problems.Add($"{name}: {begin.Path}: {problem}"); continue; }
                var needed = lockDuration + budget.Total;
                if (lease <= lockDuration || lease < needed)
                    problems.Add($"{name}: the idempotency lease ({source} = {WorstCaseWaits.Seconds(lease)}) must be at least the LockDuration of '{entity}' ({WorstCaseWaits.Seconds(lockDuration)}) + the worst-case waits of its work ({budget.Explain()} = {WorstCaseWaits.Seconds(budget.Total)}) = {WorstCaseWaits.Seconds(needed)}, and longer than the lock: otherwise a redelivery after the lock expired takes over the claim of a run that still works.");
            }
        }
        return problems;
    }

    private static TimeSpan LeaseOf(LogicAppFiles files, WorkflowOperation begin, out string source, out string? problem)
    {
        problem = null;
        var token = begin.Parameters["leaseSeconds"];
        if (token is null)
        {
            source = "the function's default";
            return TimeSpan.FromSeconds(DefaultLeaseSeconds);
        }
        source = token.Type == JTokenType.String ? $"leaseSeconds {token}" : "leaseSeconds";
        var resolved = token.Type == JTokenType.String ? ResolveParameter(files, (string)token!) : token;
        if (resolved is not null && long.TryParse(resolved.ToString(), out var seconds)) return TimeSpan.FromSeconds(seconds);
        problem = $"leaseSeconds '{token}' does not resolve to a whole number of seconds (locally: '{resolved}').";
        return TimeSpan.Zero;
    }

    /// <summary>parameters.json values may be literals (an Int) or <c>@appsetting('X')</c> text.</summary>
    private static JToken? ResolveParameter(LogicAppFiles files, string expression)
    {
        var match = System.Text.RegularExpressions.Regex.Match(expression, @"^@parameters\('(?<name>[^']+)'\)$");
        if (!match.Success) return expression;
        var value = files.Parameters[match.Groups["name"].Value]?["value"];
        return value?.Type == JTokenType.String ? files.ResolveLocally(expression) : value;
    }
}

[TestClass]
public sealed class When_a_subscriber_claims_a_message_the_lease_outlasts_the_lock_and_the_retries
{
    [TestMethod]
    public void Every_subscriber_claims_for_longer_than_its_lock_plus_its_retries() =>
        Problems.AssertNone(LeaseOutlastsTheLock.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_claim_with_the_default_lease_on_the_five_minute_SAP_lock_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SapFulfillment",
            w => ((JObject)w.SelectTokens("$..Prepare_the_SAP_sales_order.inputs.parameters").Single()).Remove("leaseSeconds"));
        Problems.AssertReported(LeaseOutlastsTheLock.Find(fixture.Files),
            "SapFulfillment: the idempotency lease (the function's default = 300 s) must be at least the LockDuration of 'sap-fulfillment' (300 s)");
    }

    [TestMethod]
    public void A_lease_shorter_than_the_lock_plus_the_warehouse_retries_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("parameters.json", p => p["idempotencyLeaseSeconds"]!["value"] = 500);
        Problems.AssertReported(LeaseOutlastsTheLock.Find(fixture.Files),
            "WarehouseInventory: the idempotency lease (leaseSeconds @parameters('idempotencyLeaseSeconds') = 500 s) must be at least the LockDuration of 'warehouse-inventory' (300 s) + the worst-case waits of its work (Call_the_warehouse_API 240 s = 240 s) = 540 s");
    }

    [TestMethod]
    public void A_lease_from_an_app_setting_is_read_from_the_settings_template()
    {
        using var fixture = new DefectFixture()
            .EditJson("parameters.json", p => p["idempotencyLeaseSeconds"] = JObject.Parse("""{"type": "Int", "value": "@appsetting('Idempotency_LeaseSeconds')"}"""))
            .EditJson("local.settings.template.json", s => s["Values"]!["Idempotency_LeaseSeconds"] = "60");
        Problems.AssertReported(LeaseOutlastsTheLock.Find(fixture.Files), "SmsNotification: the idempotency lease (leaseSeconds @parameters('idempotencyLeaseSeconds') = 60 s)");
    }
}
