using System.Globalization;
using LocalLogicApp.Hosting;
using LocalLogicApp.Operations;
using LocalLogicApp.Storage;
using Newtonsoft.Json;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Persistence;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// <c>deadletters list | show &lt;seq&gt; | resubmit &lt;seq&gt; | purge --yes [--archive]</c>, with
/// <c>[--state FOLDER]</c> (default <c>.local/app</c>, the state of <c>run</c>; <c>.local/once</c> for the last
/// <c>run --once</c>) and <c>[--subscriber NAME]</c> to pick among dead letters with the same sequence number.
/// Works on the local broker's database and lake folder while no app runs on them.
/// </summary>
public static class DeadLettersCommand
{
    public static async Task<int> RunAsync(CliArgs args)
    {
        var action = args.Positionals.FirstOrDefault()?.ToLowerInvariant()
                     ?? throw new CliUsageException("say what to do: list | show <seq> | resubmit <seq> | purge --yes [--archive]");
        var root = RepositoryRoot.Find();
        var state = Path.GetFullPath(args.Get("state") ?? Path.Combine(ProjectRoot.LocalStateFolder(root), "app"), Environment.CurrentDirectory);
        var database = Path.Combine(state, LocalLogicAppHost.BrokerDatabaseFile);
        if (!File.Exists(database))
        {
            Console.Error.WriteLine($"No local broker state at {database}: start the app once ('run' or 'run --once'), or pass --state.");
            return 1;
        }
        if (BrokerOwnership.LiveOtherOwner(state) is int owner)
        {
            Console.Error.WriteLine($"The app runs on {state} (process {owner}); stop it first: opening its broker database would be a broker restart.");
            return 1;
        }

        var settings = LocalAppSettings.Compose(root, new Dictionary<string, string>());
        using var bus = LocalServiceBus.Create(TopologyLoader.LoadFile(Path.Combine(root, LocalLogicAppHost.TopologyFile)), TimeProvider.System, new SqliteMessageStore(database));
        var operations = new LocalDeadLetterOperations(bus, CustomCodeStorage.CreateStore(settings, state), CustomCodeStorage.Options(settings).LakeContainer, TimeProvider.System);
        var all = await operations.ListAsync(CancellationToken.None);
        if (args.Get("subscriber") is { } subscriber) all = all.Where(d => d.Subscriber.Equals(subscriber, StringComparison.OrdinalIgnoreCase)).ToList();

        switch (action)
        {
            case "list":
                List(all, state);
                return 0;
            case "show":
                var shown = Pick(all, args);
                Console.WriteLine(JsonConvert.SerializeObject(new
                {
                    location = shown.Location.ToString(), source = shown.Source, subscriber = shown.Subscriber, sequenceNumber = shown.SequenceNumber,
                    messageId = shown.MessageId, reason = shown.Reason, description = shown.Description, message = shown.Message,
                }, Formatting.Indented));
                return 0;
            case "resubmit":
                var chosen = Pick(all, args);
                var outcome = await operations.ResubmitAsync(chosen, CancellationToken.None);
                Console.WriteLine($"Sent a copy of {outcome.MessageId} to the topic '{outcome.Topic}'" +
                                  (outcome.RemovedOriginal ? "; the original was removed from " + chosen.Source : chosen.Location == DeadLetterLocation.Archive ? "; the archived original stays as evidence" : "") + ".");
                Console.WriteLine("Every subscription of the topic receives it; subscribers that already processed this messageId find their idempotency record and do nothing again.");
                if (outcome.WithinDuplicateWindow)
                {
                    Console.Error.WriteLine($"WARNING: the original was published less than {outcome.DuplicateWindow} ago (the topic's duplicate-detection window): " +
                                            "the broker accepts this copy and silently drops it. Resubmit again once the window has passed.");
                    return 3;
                }
                return 0;
            case "purge":
                if (!args.Has("yes")) throw new CliUsageException("purge deletes dead letters for good: add --yes (and --archive to delete the archived ones in the lake too).");
                var purged = await operations.PurgeAsync(args.Has("archive"), CancellationToken.None);
                Console.WriteLine($"Purged {purged} dead letter(s){(args.Has("archive") ? " (broker and archive)" : " from the broker; the lake archive is kept (add --archive to delete it)")}.");
                return 0;
            default:
                throw new CliUsageException($"unknown action '{action}': list | show <seq> | resubmit <seq> | purge --yes [--archive]");
        }
    }

    private static void List(IReadOnlyList<DeadLetter> all, string state)
    {
        Console.WriteLine($"Dead letters in {state}: {all.Count}");
        foreach (var group in all.GroupBy(d => (d.Location, d.Source.Contains('/') && d.Location == DeadLetterLocation.Archive ? "lake archive" : d.Source, d.Subscriber)).OrderBy(g => g.Key.Subscriber))
        {
            Console.WriteLine();
            Console.WriteLine($"{group.Key.Subscriber} — {Describe(group.Key.Location)} ({group.Key.Item2}): {group.Count()}");
            foreach (var reason in group.GroupBy(d => d.Reason ?? "(no reason)"))
            {
                Console.WriteLine($"  {reason.Count(),3} × {reason.Key}");
            }
            foreach (var d in group.OrderBy(d => d.SequenceNumber))
            {
                Console.WriteLine($"      seq {d.SequenceNumber,-5} {d.MessageId,-36} {d.EnqueuedUtc?.ToString("u", CultureInfo.InvariantCulture)}  {Truncate(d.Description, 90)}");
            }
        }
    }

    private static string Describe(DeadLetterLocation location) => location switch
    {
        DeadLetterLocation.AlertQueue => "waiting for its alert",
        DeadLetterLocation.DeadLetterSubQueue => "in a dead-letter sub-queue",
        _ => "alerted and archived",
    };

    private static DeadLetter Pick(IReadOnlyList<DeadLetter> all, CliArgs args)
    {
        var text = args.Positionals.Skip(1).FirstOrDefault() ?? throw new CliUsageException("give the sequence number shown by 'list'.");
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)) throw new CliUsageException($"'{text}' is not a sequence number.");
        var matches = all.Where(d => d.SequenceNumber == sequence).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliUsageException($"no dead letter has sequence number {sequence} (see 'list')."),
            _ => throw new CliUsageException($"{matches.Count} dead letters have sequence number {sequence} ({string.Join(", ", matches.Select(m => m.Subscriber))}): add --subscriber NAME."),
        };
    }

    private static string Truncate(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..max] + "…";
}
