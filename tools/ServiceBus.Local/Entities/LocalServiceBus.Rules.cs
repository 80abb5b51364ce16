using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;

namespace ServiceBus.Local;

/// <summary>
/// A subscription's rules at run time (add, remove, enumerate), as the service's rule manager offers them
/// ("Topic filters and actions", https://learn.microsoft.com/azure/service-bus-messaging/topic-filters: rules combine with OR; a subscription without rules receives nothing). Changes last for the
/// life of this broker: the topology file stays the source of truth across restarts.
/// </summary>
public sealed partial class LocalServiceBus
{
    public IReadOnlyList<RuleDefinition> GetRules(string subscriptionPath)
    {
        lock (gate) return SubscriptionOf(subscriptionPath).EffectiveRules.ToList();
    }

    /// <summary>Adds a rule; MessagingEntityAlreadyExists if the subscription has a rule of that name.</summary>
    public void AddRule(string subscriptionPath, RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Length > 50 || rule.Name.Contains('/'))
            throw new ArgumentException($"The rule name '{rule.Name}' is not valid: 1 to 50 characters, no '/'.");
        lock (gate)
        {
            var subscription = SubscriptionOf(subscriptionPath);
            if (subscription.EffectiveRules.Any(r => string.Equals(r.Name, rule.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ServiceBusException(ServiceBusFailureReason.MessagingEntityAlreadyExists,
                    $"The rule '{rule.Name}' already exists on the subscription.", subscriptionPath);
            }
            Materialize(subscription);
            subscription.Rules.Add(rule);
        }
    }

    /// <summary>Removes a rule; MessagingEntityNotFound if there is none of that name.</summary>
    public void RemoveRule(string subscriptionPath, string ruleName)
    {
        lock (gate)
        {
            var subscription = SubscriptionOf(subscriptionPath);
            Materialize(subscription);
            var removed = subscription.Rules.RemoveAll(r => string.Equals(r.Name, ruleName, StringComparison.OrdinalIgnoreCase));
            if (removed == 0) throw ServiceBusException.EntityNotFound($"{subscriptionPath}/Rules/{ruleName}");
        }
    }

    /// <summary>From the first change on, the implicit <c>$Default</c> rule is a rule like any other.</summary>
    private static void Materialize(SubscriptionDefinition subscription)
    {
        if (!subscription.RulesEdited && subscription.Rules.Count == 0) subscription.Rules.AddRange(subscription.EffectiveRules);
        subscription.RulesEdited = true;
    }

    private SubscriptionDefinition SubscriptionOf(string subscriptionPath)
    {
        var (entity, deadLetter) = ResolveReceivable(subscriptionPath);
        if (deadLetter || entity.Subscription is null)
            throw new InvalidOperationException($"'{subscriptionPath}' is not a subscription: rules belong to subscriptions.");
        return entity.Subscription;
    }
}
