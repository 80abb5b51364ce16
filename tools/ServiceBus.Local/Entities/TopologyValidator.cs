using System.Text.RegularExpressions;

namespace ServiceBus.Local.Entities;

/// <summary>Checks a topology against what Azure Service Bus itself accepts (names, ranges, forward targets).</summary>
internal static partial class TopologyValidator
{
    // The emulator schema's name pattern (installer ServiceBus-Emulator/Schema/Config-schema.json): letters, digits, '_', '-', '.', '/' inside.
    [GeneratedRegex(@"^[A-Za-z0-9]$|^[A-Za-z0-9][\w\-./]*[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex EntityName();

    // Subscription and rule names are a single segment: no '/' (REST create-subscription, rule docs).
    [GeneratedRegex(@"^[A-Za-z0-9$][\w\-.$]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentName();

    public static List<TopologyError> Validate(Topology topology, string pathPrefix = "")
    {
        var errors = new List<TopologyError>();
        void Error(string path, string message) => errors.Add(new TopologyError(pathPrefix + path, message));

        var entityNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var queueNames = new HashSet<string>(topology.Queues.Select(q => q.Name), StringComparer.OrdinalIgnoreCase);
        var topicNames = new HashSet<string>(topology.Topics.Select(t => t.Name), StringComparer.OrdinalIgnoreCase);

        void CheckEntityName(string name, string path)
        {
            if (string.IsNullOrEmpty(name)) return; // reported by the loader, or below for code-built topologies
            if (name.Length > 260) Error(path, $"'{name}' is longer than 260 characters");
            if (!EntityName().IsMatch(name) || name.Contains("//", StringComparison.Ordinal))
                Error(path, $"'{name}' is not a valid entity name (letters, digits, '.', '-', '_', '/'; starts and ends with a letter or digit)");
            if (name.Contains("/" + EntityPath.SubscriptionsSegment + "/", StringComparison.OrdinalIgnoreCase) || name.Contains('$'))
                Error(path, $"'{name}' uses a reserved path segment");
            if (!entityNames.TryAdd(name, path))
                Error(path, $"duplicate entity name '{name}' (also at {entityNames[name]}; queue and topic names share one namespace, case-insensitively)");
        }

        void CheckSegment(string name, string path, string what)
        {
            if (string.IsNullOrEmpty(name)) { Error(path, $"a {what} needs a name"); return; }
            if (name.Length > 50) Error(path, $"{what} name '{name}' is longer than 50 characters");
            if (!SegmentName().IsMatch(name)) Error(path, $"'{name}' is not a valid {what} name (one segment: letters, digits, '.', '-', '_')");
        }

        void CheckReceivable(ReceivableEntityProperties p, string path, string selfPath)
        {
            if (p.LockDuration <= TimeSpan.Zero || p.LockDuration > TimeSpan.FromMinutes(5))
                Error(path + ".LockDuration", $"{IsoDuration.Format(p.LockDuration)} is outside 0 < LockDuration <= PT5M");
            if (p.MaxDeliveryCount < 1) Error(path + ".MaxDeliveryCount", $"{p.MaxDeliveryCount} is below the minimum of 1");
            if (p.DefaultMessageTimeToLive <= TimeSpan.Zero) Error(path + ".DefaultMessageTimeToLive", "must be positive");
            foreach (var (property, target) in new[] { ("ForwardTo", p.ForwardTo), ("ForwardDeadLetteredMessagesTo", p.ForwardDeadLetteredMessagesTo) })
            {
                if (target is null) continue;
                if (!queueNames.Contains(target) && !topicNames.Contains(target))
                    Error($"{path}.{property}", $"forward target '{target}' is not a queue or topic of this namespace");
                else if (string.Equals(target, selfPath, StringComparison.OrdinalIgnoreCase))
                    Error($"{path}.{property}", "an entity cannot forward to itself");
            }
            if (p.RequiresSession && p.ForwardTo is not null)
                Error(path + ".ForwardTo", "auto-forwarding is not supported on session-enabled entities");
        }

        void CheckDuplicateWindow(TimeSpan window, string path)
        {
            if (window < TimeSpan.FromSeconds(20) || window > TimeSpan.FromDays(7))
                Error(path, $"{IsoDuration.Format(window)} is outside Azure's PT20S..P7D");
        }

        void CheckSize(int kilobytes, string path)
        {
            if (kilobytes <= 0 || kilobytes > 102_400) Error(path, $"{kilobytes} is outside 1..102400 KB");
        }

        // Azure takes 1–5 GB on Standard and up to 80 GB on Premium (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas,
        // "Queue or topic size"); smaller quotas are allowed locally, so a test can fill an entity quickly.
        void CheckQuota(long bytes, string path)
        {
            if (bytes <= 0 || bytes > EntitySizeQuota.Bytes(MaxQuotaMegabytes))
                Error(path, $"{bytes} bytes is outside 1 byte..{MaxQuotaMegabytes} MB (Azure's largest, Premium)");
        }

        for (var i = 0; i < topology.Queues.Count; i++)
        {
            var q = topology.Queues[i];
            var path = $"Queues[{i}]";
            if (string.IsNullOrEmpty(q.Name)) Error(path + ".Name", "a queue needs a name");
            CheckEntityName(q.Name, path + ".Name");
            CheckReceivable(q.Properties, path + ".Properties", q.Name);
            CheckDuplicateWindow(q.Properties.DuplicateDetectionHistoryTimeWindow, path + ".Properties.DuplicateDetectionHistoryTimeWindow");
            CheckSize(q.Properties.MaxMessageSizeInKilobytes, path + ".Properties.MaxMessageSizeInKilobytes");
            CheckQuota(q.Properties.MaxSizeInBytes, path + ".Properties.MaxSizeInMegabytes");
        }

        for (var i = 0; i < topology.Topics.Count; i++)
        {
            var t = topology.Topics[i];
            var path = $"Topics[{i}]";
            if (string.IsNullOrEmpty(t.Name)) Error(path + ".Name", "a topic needs a name");
            CheckEntityName(t.Name, path + ".Name");
            if (t.Properties.DefaultMessageTimeToLive <= TimeSpan.Zero) Error(path + ".Properties.DefaultMessageTimeToLive", "must be positive");
            CheckDuplicateWindow(t.Properties.DuplicateDetectionHistoryTimeWindow, path + ".Properties.DuplicateDetectionHistoryTimeWindow");
            CheckSize(t.Properties.MaxMessageSizeInKilobytes, path + ".Properties.MaxMessageSizeInKilobytes");
            CheckQuota(t.Properties.MaxSizeInBytes, path + ".Properties.MaxSizeInMegabytes");

            var subscriptionNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var j = 0; j < t.Subscriptions.Count; j++)
            {
                var s = t.Subscriptions[j];
                var subPath = $"{path}.Subscriptions[{j}]";
                CheckSegment(s.Name, subPath + ".Name", "subscription");
                if (!string.IsNullOrEmpty(s.Name) && !subscriptionNames.Add(s.Name))
                    Error(subPath + ".Name", $"duplicate subscription name '{s.Name}' in topic '{t.Name}'");
                CheckReceivable(s.Properties, subPath + ".Properties", EntityPath.FormatSubscriptionPath(t.Name, s.Name));

                var ruleNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var k = 0; k < s.Rules.Count; k++)
                {
                    var rulePath = $"{subPath}.Rules[{k}].Name";
                    CheckSegment(s.Rules[k].Name, rulePath, "rule");
                    if (!string.IsNullOrEmpty(s.Rules[k].Name) && !ruleNames.Add(s.Rules[k].Name))
                        Error(rulePath, $"duplicate rule name '{s.Rules[k].Name}' in subscription '{s.Name}'");
                }
            }
        }
        return errors;
    }

    private const int MaxQuotaMegabytes = 81_920;
}
