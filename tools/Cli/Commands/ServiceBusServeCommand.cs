using System.Net;
using LocalLogicApp.Hosting;
using ServiceBus.Amqp.Connection;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Persistence;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// <c>servicebus serve [--config FILE] [--port 5672] [--state DIR]</c>: serves a topology in the Service Bus emulator's
/// Config.json format (default <c>deploy/servicebus/Config.json</c>) over AMQP 1.0 until Ctrl+C. Stdout gets one line,
/// the emulator connection string for any client; progress goes to stderr. <c>--state DIR</c> keeps the broker in
/// <c>DIR/servicebus.db</c> (survives restarts); without it the broker lives in memory.
/// </summary>
public static class ServiceBusServeCommand
{
    public static async Task<int> RunAsync(CliArgs args)
    {
        var root = TryFindRoot();
        var config = args.Get("config") ?? (root is null ? null : Path.Combine(root, LocalLogicAppHost.TopologyFile))
                     ?? throw new CliUsageException("--config FILE is required outside the project folder.");
        var port = args.GetInt("port", ServiceBusAmqpServer.DefaultPort, min: 0, max: IPEndPoint.MaxPort); // 0 picks a free port

        Topology topology;
        try
        {
            topology = Topology.Load(config);
        }
        catch (TopologyException ex)
        {
            Console.Error.WriteLine($"servicebus serve: {config}: {ex.Message}");
            return 1;
        }
        foreach (var finding in topology.ValidateAgainstEmulatorLimits())
            Console.Error.WriteLine($"» note: beyond the Service Bus emulator's documented range: {finding}");

        var state = args.Get("state");
        IMessageStore? store = null;
        if (state is not null)
        {
            state = Path.GetFullPath(state);
            Directory.CreateDirectory(state);
            if (BrokerOwnership.LiveOtherOwner(state) is int owner)
            {
                Console.Error.WriteLine($"servicebus serve: process {owner} already serves the broker in {state}; stop it first.");
                return 1;
            }
            StateDatabases.Check(state, StateDatabases.Broker);
            BrokerOwnership.Claim(state);
            store = new SqliteMessageStore(Path.Combine(state, LocalLogicAppHost.BrokerDatabaseFile));
        }

        using var stop = new StopSignal();
        try
        {
            using var bus = LocalServiceBus.Create(topology, TimeProvider.System, store);
            ServiceBusAmqpServer server;
            try
            {
                server = ServiceBusAmqpServer.Start(bus, port, line => Console.Error.WriteLine("» " + line));
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"servicebus serve: {ex.Message}");
                return 1;
            }
            await using (server)
            {
                Console.Error.WriteLine($"» serving {bus.ReceivableEntityPaths.Count} queues and subscriptions of {config} on amqp://localhost:{server.Port}" +
                                        (state is null ? " (in memory)" : $" (state in {state})"));
                Console.WriteLine(server.ConnectionString);
                Console.Error.WriteLine("» Ctrl+C stops");
                var maintenance = bus.RunMaintenanceAsync(TimeSpan.FromSeconds(1), stop.Token);
                await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                await maintenance;
            }
            Console.Error.WriteLine("» stopped");
            return 0;
        }
        finally
        {
            if (state is not null) BrokerOwnership.Release(state);
        }
    }

    private static string? TryFindRoot()
    {
        try
        {
            return RepositoryRoot.Find();
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
