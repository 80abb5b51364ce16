using ServiceBus.Local.Entities;

namespace Simulation.Clock;

/// <summary>
/// How fast a simulated day may run on a topology: its shortest time to live must last at least
/// <see cref="MinimumWallTimeToLive"/> of wall time. Faster, messages expire while they wait for a core (a queue that
/// does not dead-letter on expiry drops them), the publisher's window never empties, and the day cannot finish: at
/// 1,000 times real speed the project's PT1H lasted 3.6 s and a day with host kills hung after the first restart.
/// </summary>
public static class SpeedLimit
{
    /// <summary>About four times the worst publish-to-settlement wall time measured at 240 times real speed (a 100,000-order faults day's p99, ~2.3 s).</summary>
    public static readonly TimeSpan MinimumWallTimeToLive = TimeSpan.FromSeconds(10);

    /// <summary>The fastest speed for <paramref name="topology"/>, with the entity and time to live that set it (null when
    /// no entity has a time to live).</summary>
    public static (double Fastest, string Entity, TimeSpan TimeToLive)? For(Topology topology)
    {
        var entities = topology.Queues.Select(q => (q.Name, q.Properties.DefaultMessageTimeToLive))
            .Concat(topology.Topics.Select(t => (t.Name, t.Properties.DefaultMessageTimeToLive)))
            .Concat(topology.Topics.SelectMany(t => t.Subscriptions.Select(s => (EntityPath.FormatSubscriptionPath(t.Name, s.Name), s.Properties.DefaultMessageTimeToLive))))
            .Where(e => e.DefaultMessageTimeToLive < TimeSpan.MaxValue)
            .ToList();
        if (entities.Count == 0) return null;
        var (name, shortest) = entities.MinBy(e => e.DefaultMessageTimeToLive);
        return (shortest / MinimumWallTimeToLive, name, shortest);
    }
}
