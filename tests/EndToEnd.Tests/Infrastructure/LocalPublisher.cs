using LocalLogicApp.Authentication;
using LocalLogicApp.PowerPlatform;
using LocalLogicApp.StandIns.Dataverse;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The publishing side on one machine: the Dataverse stand-in with the order tables, and Power Automate running the
/// solution's flow against it, posting to <paramref name="app"/>'s intake with tokens from its local issuer.
/// </summary>
internal sealed class LocalPublisher : IAsyncDisposable
{
    public const string IntakeFlow = "Publish OrderCreated to the intake";
    public const string TopicFlow = "Publish OrderCreated to the orders topic";
    public const string ClientSecret = "local-publisher-secret-7f3e";

    public static string SolutionFolder { get; } = Path.Combine(LocalApp.Root, "deploy", "power-platform", "OrderPublisher");

    private LocalPublisher(DataverseStandIn dataverse, LocalPowerAutomate powerAutomate)
    {
        Dataverse = dataverse;
        PowerAutomate = powerAutomate;
    }

    public DataverseStandIn Dataverse { get; }
    public LocalPowerAutomate PowerAutomate { get; }

    /// <param name="clientId">The publisher application the flow signs in as (its environment variable).</param>
    public static async Task<LocalPublisher> StartAsync(LocalApp app, string flow = IntakeFlow, string clientId = ProtectedIntake.PublisherClientId,
        IReadOnlyList<IOpenApiConnectionBinding>? connectors = null)
    {
        var dataverse = new DataverseStandIn(TimeProvider.System);
        dataverse.AddTable("oi_order", "oi_orders");
        dataverse.AddTable("oi_orderline", "oi_orderlines");
        dataverse.SecretEnvironmentVariables["oi_PublisherClientSecret"] = ClientSecret;
        var intake = new UriBuilder(app.Host.IntakeUrl) { Query = "api-version=2022-05-01" }.Uri;
        var issuer = app.Host.TokenIssuer;
        var powerAutomate = await LocalPowerAutomate.StartAsync(new PowerAutomateOptions
        {
            Solution = CloudFlowSolution.Load(SolutionFolder),
            Flows = [flow],
            Dataverse = dataverse,
            Connectors = connectors ?? [],
            EnvironmentVariables = new Dictionary<string, string>
            {
                ["oi_IntakeUrl"] = intake.ToString(),
                ["oi_IntakeAudience"] = ProtectedIntake.Audience,
                ["oi_PublisherTenantId"] = LocalTokenIssuer.LocalTenantId,
                ["oi_PublisherClientId"] = clientId,
            },
            // Entra ID's client-credentials grant: the secret is checked there, the intake sees only the token.
            AccessTokens = (request, _) => Task.FromResult(request.Secret == ClientSecret && issuer is not null
                ? issuer.Issue(new TokenRequest(request.ClientId, ObjectIdOf(request.ClientId), request.Audience))
                : throw new InvalidOperationException("AADSTS7000215: Invalid client secret provided.")),
        });
        return new LocalPublisher(dataverse, powerAutomate);
    }

    private static string ObjectIdOf(string clientId) =>
        clientId == ProtectedIntake.PublisherClientId ? ProtectedIntake.PublisherObjectId : ProtectedIntake.StrangerObjectId;

    /// <summary>Adds an order row with its lines the way a deep insert does: the lines exist when the order's Create
    /// notification reaches the flow.</summary>
    public Guid AddOrder(string orderNumber, int lines = 2, Action<JObject>? change = null)
    {
        var orderId = Guid.NewGuid();
        for (var i = 1; i <= lines; i++)
        {
            var line = new JObject { ["oi_sku"] = $"MAT-{1000 + i}", ["oi_quantity"] = i, ["oi_unitprice"] = 49.99m, ["_oi_order_value"] = orderId.ToString("D") };
            if (i == 1) line["oi_description"] = "Espresso beans 1 kg";
            Dataverse.Create("oi_orderline", line);
        }
        var order = new JObject
        {
            ["oi_orderid"] = orderId.ToString("D"),
            ["oi_ordernumber"] = orderNumber,
            ["oi_customernumber"] = "CUST-20417",
            ["oi_accountnumber"] = "ACC-7781",
            ["oi_amount"] = 149.97m,
            ["oi_currency"] = "EUR",
            ["oi_customername"] = "Anna Schmidt",
            ["oi_customerphone"] = "+4915112345678",
            ["oi_smsoptin"] = true,
            ["oi_customeremail"] = null,
        };
        change?.Invoke(order);
        Dataverse.Create("oi_order", order);
        return orderId;
    }

    /// <summary>Waits until the flow has finished a run for each of <paramref name="count"/> rows; fails after 60 s.</summary>
    public async Task<IReadOnlyList<WorkflowRun>> FinishedRunsAsync(string flow, int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var runs = PowerAutomate.RunsOf(flow);
            if (runs.Count >= count && runs.All(r => r.IsCompleted)) return runs;
            if (PowerAutomate.TriggerFailure is { } failure) throw new InvalidOperationException($"The flow's trigger stopped: {failure.Message}", failure);
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The flow '{flow}' finished {runs.Count(r => r.IsCompleted)} of {count} runs within 60 s.\n" + string.Join("\n", runs.Select(r => r.Describe())));
            await Task.Delay(25);
        }
    }

    public JObject Order(Guid id) => Dataverse.Get("oi_order", id);

    public ValueTask DisposeAsync() => PowerAutomate.DisposeAsync();
}
