using System.Net;
using System.Net.Sockets;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transaction;
using Microsoft.Azure.Amqp.Transport;
using ServiceBus.Amqp.Cbs;
using ServiceBus.Amqp.Errors;
using ServiceBus.Amqp.Links;
using ServiceBus.Amqp.Management;
using ServiceBus.Local;
using ServiceBus.Local.Messages;

namespace ServiceBus.Amqp.Connection;

/// <summary>
/// Serves a <see cref="LocalServiceBus"/> over AMQP 1.0 on plain TCP, the way the Service Bus emulator does, so any
/// client that accepts the emulator connection string (<see cref="ConnectionString"/>) can use it: the official SDKs,
/// Service Bus Explorer-style tools, any AMQP 1.0 library. SASL offers <c>MSSBCBS</c> (the mechanism the Service Bus
/// clients ask for, carrying no credentials) and <c>ANONYMOUS</c>; authorization is by $cbs put-token, which the
/// local broker accepts ("Service Bus emulator overview", https://learn.microsoft.com/azure/service-bus-messaging/overview-emulator;
/// protocol guide, https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-protocol-guide).
/// </summary>
public sealed class ServiceBusAmqpServer : IRuntimeProvider, IAsyncDisposable
{
    /// <summary>The emulator's fixed placeholder key (its connection string is public: it grants nothing).</summary>
    public const string EmulatorKeyName = "RootManageSharedAccessKey";
    public const string EmulatorKey = "SAS_KEY_VALUE";
    public const int DefaultPort = 5672;

    private readonly LocalServiceBus bus;
    private readonly Action<string> log;
    private readonly RequestResponse requestResponse = new();
    private readonly HeldSessions sessions = new();
    private readonly ManagementNode management;
    private readonly AmqpSettings settings;
    private AmqpTransportListener? listener;
    private int connections;

    private ServiceBusAmqpServer(LocalServiceBus bus, int port, Action<string>? log)
    {
        this.bus = bus;
        this.log = log ?? (_ => { });
        Port = port;
        management = new ManagementNode(bus, sessions);
        settings = new AmqpSettings { RuntimeProvider = this };
        var sasl = new SaslTransportProvider();
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS"));
        sasl.AddHandler(new SaslAnonymousHandler());
        sasl.Versions.Add(new AmqpVersion(1, 0, 0));
        settings.TransportProviders.Add(sasl);
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(new AmqpVersion(1, 0, 0));
        settings.TransportProviders.Add(amqp);
    }

    /// <summary>Starts listening on localhost:<paramref name="port"/> (0 picks a free port).</summary>
    public static ServiceBusAmqpServer Start(LocalServiceBus bus, int port = DefaultPort, Action<string>? log = null)
    {
        if (port == 0) port = FreePort();
        var server = new ServiceBusAmqpServer(bus, port, log);
        var tcp = new TcpTransportSettings { Host = "localhost", Port = port };
        server.listener = new AmqpTransportListener([tcp.CreateListener()], server.settings);
        try
        {
            server.listener.Listen(server.OnAcceptTransport);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException($"Port {port} is in use (another broker or the Service Bus emulator?); pass another port.", ex);
        }
        return server;
    }

    public int Port { get; }

    /// <summary>The Service Bus emulator's connection string for this endpoint (no secret: the key is a placeholder).</summary>
    public string ConnectionString => FormatConnectionString(Port);

    public static string FormatConnectionString(int port) =>
        $"Endpoint=sb://localhost{(port == DefaultPort ? "" : ":" + port)};SharedAccessKeyName={EmulatorKeyName};SharedAccessKey={EmulatorKey};UseDevelopmentEmulator=true;";

    public ValueTask DisposeAsync()
    {
        listener?.Close();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    // ---- Connections -------------------------------------------------------------------------------------------------

    private void OnAcceptTransport(TransportListener _, TransportAsyncCallbackArgs args)
    {
        AmqpConnection? connection = null;
        try
        {
            connection = CreateConnection(args.Transport, (ProtocolHeader)args.UserToken, false, settings, new AmqpConnectionSettings
            {
                ContainerId = "servicebus-local",
                MaxFrameSize = 64 * 1024,
                IdleTimeOut = 4 * 60 * 1000,
            });
            connection.Opened += (_, _) => log($"connection {Interlocked.Increment(ref connections)} opened");
            connection.BeginOpen(AmqpConstants.DefaultTimeout, result =>
            {
                var opened = (AmqpConnection)result.AsyncState!;
                try
                {
                    opened.EndOpen(result);
                }
                catch (Exception ex)
                {
                    opened.SafeClose(ex);
                }
            }, connection);
        }
        catch (Exception ex)
        {
            connection?.SafeClose(ex);
        }
    }

    public AmqpConnection CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator, AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
        new(transport, protocolHeader, false, amqpSettings, connectionSettings);

    public AmqpSession CreateSession(AmqpConnection connection, AmqpSessionSettings sessionSettings) => throw new InvalidOperationException();

    // ---- Links --------------------------------------------------------------------------------------------------------

    public AmqpLink CreateLink(AmqpSession session, AmqpLinkSettings linkSettings)
    {
        if (linkSettings.Role == true)
        {
            // The client sends: to an entity, or requests to $cbs / $management. Grant credit as messages are taken.
            linkSettings.TotalLinkCredit = 300;
            linkSettings.AutoSendFlow = true;
            return new ReceivingAmqpLink(session, linkSettings);
        }
        return new SendingAmqpLink(session, linkSettings);
    }

    public IAsyncResult BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state) =>
        AsyncResults.Begin(OpenLinkAsync(link, timeout), callback, state);

    public void EndOpenLink(IAsyncResult result) => AsyncResults.End(result);

    private async Task OpenLinkAsync(AmqpLink link, TimeSpan timeout)
    {
        try
        {
            if (link.Settings.Target is Coordinator)
                throw ServiceBusErrors.NotImplemented("Transactions are not supported by the local broker (see docs/runtime/service-bus.md).");
            var address = EntityAddress.Parse(link.IsReceiver ? (link.Settings.Target as Target)?.Address?.ToString() : (link.Settings.Source as Source)?.Address?.ToString());
            switch (address.Kind, link)
            {
                case (EntityAddressKind.Cbs, ReceivingAmqpLink requests):
                    requestResponse.AttachRequestLink(requests, CbsNode.HandleAsync);
                    break;
                case (EntityAddressKind.Management, ReceivingAmqpLink requests):
                    var entity = address.EntityPath;
                    requestResponse.AttachRequestLink(requests, request => management.HandleAsync(entity, request));
                    break;
                case (EntityAddressKind.Cbs or EntityAddressKind.Management, SendingAmqpLink replies):
                    requestResponse.AttachReplyLink(replies);
                    break;
                case (EntityAddressKind.Entity, ReceivingAmqpLink incoming):
                    SenderLink.Attach(incoming, bus, address.EntityPath);
                    break;
                case (EntityAddressKind.Entity, SendingAmqpLink outgoing):
                    await AttachReceiverAsync(outgoing, address.EntityPath, timeout).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex)
        {
            throw ServiceBusErrors.Exception(ex);
        }
    }

    /// <summary>A client's receiver: plain, or a session receiver (source filter <c>com.microsoft:session-filter</c>: null =
    /// the next available session, else that session; the attach reply names the session and its lock expiry).</summary>
    private async Task AttachReceiverAsync(SendingAmqpLink link, string entityPath, TimeSpan timeout)
    {
        var mode = link.Settings.SettleType == SettleMode.SettleOnSend ? ReceiveMode.ReceiveAndDelete : ReceiveMode.PeekLock;
        var source = (Source)link.Settings.Source;
        if (source.FilterSet is { } filters && filters.Any(f => f.Key.Key.Equals(SessionFilter)))
        {
            var sessionId = source.FilterSet![new MapKey(SessionFilter)] as string;
            var wait = LinkTimeout(link) ?? timeout;
            var receiver = sessionId is null
                ? await bus.AcceptNextSessionAsync(entityPath, mode, wait).ConfigureAwait(false)
                : await bus.AcceptSessionAsync(entityPath, sessionId, mode).ConfigureAwait(false);
            source.FilterSet[new MapKey(SessionFilter)] = receiver.SessionId;
            link.Settings.Properties ??= new Fields();
            link.Settings.Properties[LockedUntilUtc] = receiver.SessionLockedUntil.UtcTicks;
            sessions.Add(entityPath, receiver);
            ReceiverLink.Attach(link, receiver, () => sessions.Remove(entityPath, receiver));
            return;
        }
        ReceiverLink.Attach(link, bus.CreateReceiver(entityPath, mode));
    }

    private static readonly AmqpSymbol SessionFilter = "com.microsoft:session-filter";
    private static readonly AmqpSymbol LockedUntilUtc = "com.microsoft:locked-until-utc";
    private static readonly AmqpSymbol TimeoutProperty = "com.microsoft:timeout";

    /// <summary>How long the client is willing to wait for a session (link property <c>com.microsoft:timeout</c>, ms).</summary>
    private static TimeSpan? LinkTimeout(AmqpLink link) =>
        link.Settings.Properties?[TimeoutProperty] switch
        {
            uint ms => TimeSpan.FromMilliseconds(ms),
            int ms => TimeSpan.FromMilliseconds(ms),
            long ms => TimeSpan.FromMilliseconds(ms),
            _ => null,
        };
}
