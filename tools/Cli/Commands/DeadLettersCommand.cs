using System.Globalization;
using Azure.Identity;
using Cli.Iac;
using Azure.Messaging.ServiceBus;
using LocalLogicApp.Hosting;
using LocalLogicApp.Operations;
using LocalLogicApp.Storage;
using OrderEvents.CustomCode.Storage;
using ServiceBus.Amqp.Connection;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Persistence;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// <c>deadletters list | show &lt;seq&gt; | resubmit &lt;seq&gt; [--to SUBSCRIBER] [--wait] | purge [--archive]</c> on the official
/// Service Bus client, against:
/// <list type="bullet">
/// <item><c>--namespace NAME.servicebus.windows.net</c> (Microsoft Entra ID through DefaultAzureCredential) or
/// <c>--connection-string</c> / <c>SERVICEBUS_CONNECTION_STRING</c>, with <c>--lake https://ACCOUNT.blob.core.windows.net</c>
/// for the archive and the audit trail;</item>
/// <item>by default the app <c>run</c> serves (its AMQP endpoint), or, when none runs, the broker state of
/// <c>--state DIR</c> (default <c>.local/app</c>; <c>.local/once</c> after <c>run --once</c>), served in-process.</item>
/// </list>
/// <c>--subscriber NAME</c> picks among dead letters with the same sequence number; verbs that change something ask
/// for confirmation unless <c>--yes</c>. Exit codes: 0 done, 1 failed, 2 wrong usage, 3 resubmit refused inside the
/// duplicate-detection window (nothing sent).
/// </summary>
public static class DeadLettersCommand
{
    private static string Usage => CommandLine.UsageOf("deadletters");

    public static async Task<int> RunAsync(CliArgs args)
    {
        var action = args.Positionals.FirstOrDefault()?.ToLowerInvariant() ?? throw new CliUsageException("say what to do: " + Usage);
        if (action is not ("list" or "show" or "resubmit" or "purge")) throw new CliUsageException($"unknown action '{action}': {Usage}");
        // The words are checked before anything is opened: a mistake in them is named first.
        var sequence = action is "show" or "resubmit" ? Sequence(args) : (long?)null;
        if (sequence is null && args.Positionals.Count > 1) throw new CliUsageException($"'{action}' takes no sequence number: {Usage}");
        var root = RepositoryRoot.Find();
        await using var target = await Target.OpenAsync(root, args);
        if (target.Failure is { } failure)
        {
            Console.Error.WriteLine(failure);
            return 1;
        }
        Console.Error.WriteLine($"» {target.Description}; operator {target.Operator}");
        var operations = new DeadLetterOperations(target.Client!, target.Topology!, target.Lake ?? new InMemoryObjectStore(), target.LakeContainer, target.Operator, TimeProvider.System);
        // A misspelt subscriber would match nothing: an empty list, a purge of nothing, reported as done.
        if (args.Get("subscriber") is { } named && !operations.Subscribers.Contains(named, StringComparer.OrdinalIgnoreCase))
            throw new CliUsageException($"--subscriber must name a subscriber: {string.Join(", ", operations.Subscribers)}; not '{named}'.");
        using var stop = new StopSignal();

        try
        {
            var all = await operations.ListAsync(target.Lake is not null, stop.Token);
            if (args.Get("subscriber") is { } subscriber) all = all.Where(d => d.Subscriber.Equals(subscriber, StringComparison.OrdinalIgnoreCase)).ToList();
            switch (action)
            {
                case "list":
                    List(all, target);
                    return 0;
                case "show":
                    Console.WriteLine(DeadLetterOperations.ForDisplay(Pick(all, sequence!.Value)).ToString(Newtonsoft.Json.Formatting.Indented));
                    return 0;
                case "resubmit":
                    return await ResubmitAsync(operations, Pick(all, sequence!.Value), args, target, stop.Token);
                default:
                    return await PurgeAsync(operations, args, target, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsRequested)
        {
            Console.Error.WriteLine("Stopped.");
            return 130;
        }
        catch (Exception ex) when (ex is ServiceBusException or Azure.RequestFailedException or AuthenticationFailedException or ObjectStoreException or UnauthorizedAccessException)
        {
            // One line: the client's messages can carry the inner exception's stack.
            Console.Error.WriteLine($"deadletters {action}: {ex.Message.Split('\n')[0].Trim()}");
            return 1;
        }
    }

    private static async Task<int> ResubmitAsync(DeadLetterOperations operations, DeadLetter chosen, CliArgs args, Target target, CancellationToken cancellationToken)
    {
        if (target.Lake is null)
        {
            Console.Error.WriteLine("A resubmit is audited in the lake: pass --lake https://ACCOUNT.blob.core.windows.net (the Data Lake account of the deployment).");
            return 1;
        }
        var to = args.Get("to") ?? chosen.Subscriber;
        if (!operations.Subscribers.Contains(to)) throw new CliUsageException($"--to must name a subscriber: {string.Join(", ", operations.Subscribers)}; not '{to}'.");
        var warning = DeadLetterOperations.ResubmitWarning(chosen, DateTimeOffset.UtcNow);
        if (!Confirm(args, $"Resubmit {chosen.MessageId ?? "seq " + chosen.SequenceNumber} ({chosen.Reason ?? "no reason"}) from {chosen.Source} to the subscriber '{to}' only?" +
                           (warning is null ? "" : " " + warning)))
            return 2;
        var outcome = await operations.ResubmitAsync(chosen, to, args.Has("wait"), line => Console.Error.WriteLine("» " + line), cancellationToken);
        if (!outcome.Sent)
        {
            Console.Error.WriteLine($"Not sent: the topic '{outcome.Topic}' drops a messageId it saw within its duplicate-detection window, silently. " +
                                    $"This message can be resubmitted from {outcome.NotBefore:u}; run again then, or add --wait.");
            return 3;
        }
        Console.WriteLine($"Sent a copy of {outcome.MessageId} to the topic '{outcome.Topic}' for '{outcome.To}' only (resubmitTo), as {target.Operator}" +
                          (outcome.RemovedOriginal ? $"; the original was removed from {chosen.Source}" : chosen.Location == DeadLetterLocation.Archive ? "; the archived original stays as evidence" : "") + ".");
        Console.WriteLine(outcome.AuditObject is null ? "WARNING: the audit line could not be written to the lake." : $"Audit: {target.LakeContainer}/{outcome.AuditObject}");
        return outcome.AuditObject is null ? 1 : 0;
    }

    private static async Task<int> PurgeAsync(DeadLetterOperations operations, CliArgs args, Target target, CancellationToken cancellationToken)
    {
        if (target.Lake is null)
        {
            Console.Error.WriteLine("A purge is audited in the lake: pass --lake https://ACCOUNT.blob.core.windows.net.");
            return 1;
        }
        var subscriber = args.Get("subscriber");
        var archive = args.Has("archive");
        if (!Confirm(args, $"Delete every broker-held dead letter{(subscriber is null ? "" : " of " + subscriber)}{(archive ? " and the archived ones in the lake" : "")}, for good?"))
            return 2;
        var purged = await operations.PurgeAsync(subscriber, archive, cancellationToken);
        Console.WriteLine($"Purged {purged} dead letter(s){(archive ? " (broker and archive)" : " from the broker; the lake archive is kept (add --archive to delete it)")}.");
        return 0;
    }

    /// <summary>True with --yes, or when the operator answers y on an interactive terminal; otherwise refuses.</summary>
    private static bool Confirm(CliArgs args, string question)
    {
        if (args.Has("yes")) return true;
        if (Console.IsInputRedirected)
        {
            Console.Error.WriteLine($"{question} This changes something: add --yes to confirm.");
            return false;
        }
        Console.Error.Write($"{question} [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        if (string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase)) return true;
        Console.Error.WriteLine("Nothing changed.");
        return false;
    }

    private static void List(IReadOnlyList<DeadLetter> all, Target target)
    {
        Console.WriteLine($"Dead letters ({target.Description}): {all.Count}{(target.Lake is null ? " (archive not read: pass --lake)" : "")}");
        foreach (var group in all.GroupBy(d => (d.Location, Place: d.Location == DeadLetterLocation.Archive ? "lake archive" : d.Source, d.Subscriber)).OrderBy(g => g.Key.Subscriber, StringComparer.Ordinal))
        {
            Console.WriteLine();
            Console.WriteLine($"{group.Key.Subscriber} — {Describe(group.Key.Location)} ({group.Key.Place}): {group.Count()}");
            foreach (var reason in group.GroupBy(d => d.Reason ?? "(no reason)")) Console.WriteLine($"  {reason.Count(),3} × {reason.Key}");
            foreach (var d in group.OrderBy(d => d.SequenceNumber))
                Console.WriteLine($"      seq {d.SequenceNumber,-5} {d.MessageId,-36} {d.EnqueuedUtc?.ToString("u", CultureInfo.InvariantCulture)}  {Truncate(d.Description, 90)}");
        }
    }

    private static string Describe(DeadLetterLocation location) => location switch
    {
        DeadLetterLocation.AlertQueue => "waiting for its alert",
        DeadLetterLocation.DeadLetterSubQueue => "in a dead-letter sub-queue",
        _ => "alerted and archived",
    };

    private static long Sequence(CliArgs args)
    {
        var text = args.Positionals.Skip(1).FirstOrDefault() ?? throw new CliUsageException("give the sequence number shown by 'list'.");
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw new CliUsageException($"'{text}' is not a sequence number (a whole number, as 'list' shows it).");
    }

    private static DeadLetter Pick(IReadOnlyList<DeadLetter> all, long sequence)
    {
        var matches = all.Where(d => d.SequenceNumber == sequence).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliUsageException($"no dead letter has sequence number {sequence} (see 'list')."),
            _ => throw new CliUsageException($"{matches.Count} dead letters have sequence number {sequence} ({string.Join(", ", matches.Select(m => $"{m.Subscriber} in {m.Source}"))}): add --subscriber NAME."),
        };
    }

    private static string Truncate(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..max] + "…";

    /// <summary>Where the tool works: a namespace, a connection string, the running app, or a state folder's broker
    /// served in-process for the time of the command. Never shows a key.</summary>
    private sealed class Target : IAsyncDisposable
    {
        public const string ConnectionStringVariable = "SERVICEBUS_CONNECTION_STRING";

        public ServiceBusClient? Client { get; private set; }
        public Topology? Topology { get; private set; }
        public IObjectStore? Lake { get; private set; }
        public string LakeContainer { get; private set; } = "orders-lake";
        public OperatorIdentity Operator { get; private set; } = OperatorIdentity.Local();
        public string Description { get; private set; } = "";
        public string? Failure { get; private set; }
        private LocalServiceBus? bus;
        private SqliteMessageStore? store; // the broker does not own a store it is handed: closed after it
        private ServiceBusAmqpServer? server;

        /// <summary>An Azure namespace holds its entities with deploy/servicebus/Azure.json's values over Config.json's (the
        /// IaC deploys them so): the duplicate-detection window a resubmit waits out is Azure's, not the emulator's.</summary>
        private void UseAzureValues(string root, string config)
        {
            try
            {
                Topology = AzureEntityValues.LoadTopology(config, Path.Combine(root, AzureEntityValues.RelativePath));
            }
            catch (TopologyException ex)
            {
                Failure = $"{config} with {AzureEntityValues.RelativePath}: {ex.Message}";
            }
        }

        public static async Task<Target> OpenAsync(string root, CliArgs args)
        {
            var target = new Target();
            var config = args.Get("config") ?? Path.Combine(root, LocalLogicAppHost.TopologyFile);
            try
            {
                target.Topology = TopologyLoader.LoadFile(config);
            }
            catch (TopologyException ex)
            {
                target.Failure = $"{config}: {ex.Message}";
                return target;
            }
            var settings = LocalAppSettings.Compose(root, new Dictionary<string, string>());
            target.LakeContainer = args.Get("lake-container") ?? CustomCodeStorage.Options(settings).LakeContainer;
            var clientOptions = new ServiceBusClientOptions { RetryOptions = new ServiceBusRetryOptions { TryTimeout = TimeSpan.FromSeconds(30) } };

            if (args.Get("namespace") is { } ns)
            {
                if (!ns.EndsWith(".servicebus.windows.net", StringComparison.OrdinalIgnoreCase) || ns.Contains('/'))
                    throw new CliUsageException($"--namespace takes the namespace's host name, NAME.servicebus.windows.net, not '{ns}'.");
                var credential = new DefaultAzureCredential();
                try
                {
                    target.Operator = await OperatorIdentity.OfCredentialAsync(credential, CancellationToken.None);
                }
                catch (AuthenticationFailedException ex)
                {
                    target.Failure = $"Cannot sign in to Microsoft Entra ID (az login, Visual Studio Code, managed identity, ...): {ex.Message}";
                    return target;
                }
                target.Client = new ServiceBusClient(ns, credential, clientOptions);
                target.Description = $"namespace {ns} (Microsoft Entra ID)";
                target.Lake = AzureLake(args);
                target.UseAzureValues(root, config);
                return target;
            }
            if ((args.Get("connection-string") ?? Environment.GetEnvironmentVariable(ConnectionStringVariable)) is { Length: > 0 } connectionString)
            {
                ServiceBusConnectionStringProperties properties;
                try
                {
                    properties = ServiceBusConnectionStringProperties.Parse(connectionString);
                }
                catch (FormatException)
                {
                    throw new CliUsageException("the Service Bus connection string is not valid (it is not printed here: it may hold a key).");
                }
                target.Client = new ServiceBusClient(connectionString, clientOptions);
                target.Description = $"{properties.FullyQualifiedNamespace} (connection string, key name {properties.SharedAccessKeyName ?? "none"})";
                target.Lake = AzureLake(args) ?? (connectionString.Contains("UseDevelopmentEmulator=true", StringComparison.OrdinalIgnoreCase)
                    ? LocalLake(settings, StateFolder(root, args)) : null);
                if (properties.FullyQualifiedNamespace.EndsWith(".servicebus.windows.net", StringComparison.OrdinalIgnoreCase)) target.UseAzureValues(root, config);
                return target;
            }

            // Locally the archive is the state folder's storage: a --lake would be ignored, so it is refused.
            if (args.Has("lake"))
                throw new CliUsageException("--lake names the Azure Data Lake of --namespace or --connection-string; locally the archive is in the state folder's storage.");
            var state = StateFolder(root, args);
            if (!args.Has("state") && RunningAppFile.ReadServiceBusConnectionString(root) is { } running)
            {
                target.Client = new ServiceBusClient(running, clientOptions);
                target.Description = $"the running app's broker ({Endpoint(running)})";
                target.Lake = LocalLake(settings, state);
                return target;
            }
            var database = Path.Combine(state, LocalLogicAppHost.BrokerDatabaseFile);
            if (!File.Exists(database))
            {
                target.Failure = $"No local broker state at {database}: start the app ('run' or 'run --once'), pass --state, or point at Azure with --namespace.";
                return target;
            }
            if (BrokerOwnership.LiveOtherOwner(state) is int owner)
            {
                target.Failure = $"Process {owner} runs the app on {state} without an AMQP endpoint; stop it, or restart it with 'run' (which serves one).";
                return target;
            }
            StateDatabases.Check(state, StateDatabases.Broker, StateDatabases.Storage);
            // No app runs on this state: serve its broker for the time of the command, and use it over AMQP like any other.
            BrokerOwnership.Claim(state);
            target.ownsState = state;
            try
            {
                target.store = new SqliteMessageStore(database);
                target.bus = LocalServiceBus.Create(target.Topology, TimeProvider.System, target.store);
                target.server = ServiceBusAmqpServer.Start(target.bus, port: 0);
                target.Client = new ServiceBusClient(target.server.ConnectionString, clientOptions);
                target.Description = $"the broker state in {state}";
                target.Lake = LocalLake(settings, state);
                return target;
            }
            catch
            {
                await target.DisposeAsync(); // the state is not left claimed by a command that never ran
                throw;
            }
        }

        private string? ownsState;

        private static string StateFolder(string root, CliArgs args) =>
            Path.GetFullPath(args.Get("state") ?? Path.Combine(ProjectRoot.LocalStateFolder(root), "app"), Environment.CurrentDirectory);

        private static IObjectStore LocalLake(IReadOnlyDictionary<string, string> settings, string state) => CustomCodeStorage.CreateStore(settings, state);

        private static IObjectStore? AzureLake(CliArgs args)
        {
            if (args.Get("lake") is not { } lake) return null;
            try
            {
                return ObjectStoreSettings.CreateObjectStore(name => name switch
                {
                    ObjectStoreSettings.Provider => "Blob",
                    ObjectStoreSettings.BlobServiceUri => lake,
                    _ => null,
                }, Environment.CurrentDirectory);
            }
            catch (InvalidOperationException ex)
            {
                throw new CliUsageException($"--lake: {ex.Message}");
            }
        }

        private static string Endpoint(string connectionString) => ServiceBusConnectionStringProperties.Parse(connectionString).Endpoint.ToString();

        public async ValueTask DisposeAsync()
        {
            if (Client is not null) await Client.DisposeAsync();
            if (server is not null) await server.DisposeAsync();
            bus?.Dispose();
            store?.Dispose();
            if (ownsState is not null) BrokerOwnership.Release(ownsState);
        }
    }
}
