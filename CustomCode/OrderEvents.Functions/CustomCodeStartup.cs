using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.Functions;

/// <summary>
/// The one <see cref="OrderEventFunctions"/> every function class delegates to, made once, lazily, from the app
/// settings (the environment): the object store chosen by <c>Storage_Provider</c> (<see cref="ObjectStoreSettings"/>),
/// <see cref="TimeProvider.System"/> and <see cref="CustomCodeOptions"/>. The Logic Apps runtime activates function
/// classes with an <c>ILoggerFactory</c> only and runs no Functions <c>Startup</c> class for custom code. No
/// dependency-injection container either: the .NET 8 custom-code worker loads Microsoft.Extensions.DependencyInjection
/// 6.0.0 and older of its own (Microsoft's list of the worker's packages, Azure/logicapps
/// articles/worker-packages-dependencies-custom-code.pdf), and custom code built against a newer one risks the
/// FileLoadException the worker's Azure.Core causes (Azure/logicapps#1146).
/// </summary>
public static class CustomCodeStartup
{
    private static readonly Lazy<OrderEventFunctions> Instance = new(
        () => Create(Environment.GetEnvironmentVariable, AppRoot()),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared functions instance (thread-safe: it holds only the store, clock and options).</summary>
    public static OrderEventFunctions Functions => Instance.Value;

    public static OrderEventFunctions Create(Func<string, string?> setting, string appRoot) =>
        new(new CustomCodeServices(ObjectStoreSettings.CreateObjectStore(setting, appRoot), TimeProvider.System, CustomCodeOptions.FromSettings(setting)));

    /// <summary>The Logic App's root folder: the Functions host sets <c>AzureWebJobsScriptRoot</c>
    /// (<c>/home/site/wwwroot</c> in Azure); a local <c>func start</c> runs in it.</summary>
    private static string AppRoot() =>
        NonEmpty(Environment.GetEnvironmentVariable("AzureWebJobsScriptRoot")) ?? Directory.GetCurrentDirectory();

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
