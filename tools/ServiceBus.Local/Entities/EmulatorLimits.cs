namespace ServiceBus.Local.Entities;

/// <summary>
/// The Service Bus emulator's documented ranges (Azure/azure-service-bus-emulator-installer Config-schema.json; quotas at https://learn.microsoft.com/azure/service-bus-messaging/overview-emulator).
/// A production topology may exceed them; this lists where, so the difference is a decision rather than a surprise.
/// </summary>
internal static class EmulatorLimits
{
    private static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(5), MaxTtl = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinDuplicateWindow = TimeSpan.FromSeconds(5), MaxDuplicateWindow = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinLock = TimeSpan.FromSeconds(5), MaxLock = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<EmulatorLimitFinding> Check(Topology topology)
    {
        var findings = new List<EmulatorLimitFinding>();
        void Add(string path, string property, string value, string limit) => findings.Add(new EmulatorLimitFinding(path, property, value, limit));
        void Range(string path, string property, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
                Add(path, property, IsoDuration.Format(value), $"{IsoDuration.Format(min)}..{IsoDuration.Format(max)}");
        }
        // The emulator's "Queue or topic size" is 100 MB and not configurable (overview-emulator, "Usage quotas"); its
        // Config-schema.json has no MaxSizeInMegabytes (nor forbids other properties). Azure's default (1,024 MB, what
        // an emulator file without the property means in Azure) is not listed, so an emulator file lists nothing.
        void Quota(string path, long bytes)
        {
            if (bytes != EntitySizeQuota.DefaultBytes)
                Add(path, "MaxSizeInMegabytes", $"{bytes / (double)EntitySizeQuota.BytesPerMegabyte:0.###}", "not configurable, fixed at 100 MB");
        }
        void Receivable(string path, ReceivableEntityProperties p)
        {
            Range(path, "LockDuration", p.LockDuration, MinLock, MaxLock);
            Range(path, "DefaultMessageTimeToLive", p.DefaultMessageTimeToLive, MinTtl, MaxTtl);
            if (p.MaxDeliveryCount > 10) Add(path, "MaxDeliveryCount", p.MaxDeliveryCount.ToString(), "1..10");
        }

        if (topology.NamespaceName != Topology.EmulatorNamespaceName)
            Add("Namespaces[0]", "Name", topology.NamespaceName, $"must be '{Topology.EmulatorNamespaceName}'");
        if (topology.Queues.Count + topology.Topics.Count > 50)
            Add("Namespaces[0]", "Queues+Topics", (topology.Queues.Count + topology.Topics.Count).ToString(), "at most 50");

        foreach (var q in topology.Queues)
        {
            Receivable(q.Name, q.Properties);
            if (q.Properties.RequiresDuplicateDetection)
                Range(q.Name, "DuplicateDetectionHistoryTimeWindow", q.Properties.DuplicateDetectionHistoryTimeWindow, MinDuplicateWindow, MaxDuplicateWindow);
            if (q.Properties.MaxMessageSizeInKilobytes != 256)
                Add(q.Name, "MaxMessageSizeInKilobytes", q.Properties.MaxMessageSizeInKilobytes.ToString(), "fixed at 256 KB");
            Quota(q.Name, q.Properties.MaxSizeInBytes);
        }

        foreach (var t in topology.Topics)
        {
            Range(t.Name, "DefaultMessageTimeToLive", t.Properties.DefaultMessageTimeToLive, MinTtl, MaxTtl);
            if (t.Properties.RequiresDuplicateDetection)
                Range(t.Name, "DuplicateDetectionHistoryTimeWindow", t.Properties.DuplicateDetectionHistoryTimeWindow, MinDuplicateWindow, MaxDuplicateWindow);
            if (t.Properties.MaxMessageSizeInKilobytes != 256)
                Add(t.Name, "MaxMessageSizeInKilobytes", t.Properties.MaxMessageSizeInKilobytes.ToString(), "fixed at 256 KB");
            Quota(t.Name, t.Properties.MaxSizeInBytes);
            if (t.Subscriptions.Count is < 1 or > 50)
                Add(t.Name, "Subscriptions", t.Subscriptions.Count.ToString(), "1..50 per topic");
            var correlationFilters = t.Subscriptions.Sum(s => s.Rules.Count(r => r.Filter is Filters.CorrelationRuleFilter));
            if (correlationFilters > 1000) Add(t.Name, "CorrelationFilters", correlationFilters.ToString(), "at most 1000 per topic");

            foreach (var s in t.Subscriptions)
            {
                var path = EntityPath.FormatSubscriptionPath(t.Name, s.Name);
                Receivable(path, s.Properties);
                if (!s.Properties.DeadLetteringOnFilterEvaluationExceptions)
                    Add(path, "DeadLetteringOnFilterEvaluationExceptions", "false", "not in the emulator schema");
                if (s.Rules.Count > 1000) Add(path, "Rules", s.Rules.Count.ToString(), "0..1000");
            }
        }

        foreach (var (path, property) in topology.IgnoredProperties)
            Add(path, property, "(set)", "not in the emulator schema; ignored by the local broker");
        return findings;
    }
}
