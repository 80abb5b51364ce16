using Microsoft.Extensions.DependencyInjection;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.Functions;

/// <summary>
/// Registers the library's services from app settings: the object store chosen by <c>Storage_Provider</c>
/// (<see cref="ObjectStoreSettings"/>), <see cref="TimeProvider.System"/>, <see cref="CustomCodeOptions"/> and
/// <see cref="OrderEventFunctions"/>. The Logic Apps runtime activates function classes with an
/// <c>ILoggerFactory</c> only and does not run a Functions <c>Startup</c> class for custom code, so the container is
/// built once, lazily, from the environment (where app settings are) and shared by every function class.
/// </summary>
public static class CustomCodeStartup
{
    private static readonly Lazy<ServiceProvider> Provider = new(
        () => new ServiceCollection().AddOrderEventsCustomCode(Environment.GetEnvironmentVariable, AppRoot()).BuildServiceProvider(),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared functions instance (thread-safe: it holds only the store, clock and options).</summary>
    public static OrderEventFunctions Functions => Provider.Value.GetRequiredService<OrderEventFunctions>();

    public static IServiceCollection AddOrderEventsCustomCode(this IServiceCollection services, Func<string, string?> setting, string appRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => ObjectStoreSettings.CreateObjectStore(setting, appRoot));
        services.AddSingleton(CustomCodeOptions.FromSettings(setting));
        services.AddSingleton(provider => new CustomCodeServices(
            provider.GetRequiredService<IObjectStore>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<CustomCodeOptions>()));
        services.AddSingleton<OrderEventFunctions>();
        return services;
    }

    /// <summary>The Logic App's root folder: the Functions host sets <c>AzureWebJobsScriptRoot</c>
    /// (<c>/home/site/wwwroot</c> in Azure); a local <c>func start</c> runs in it.</summary>
    private static string AppRoot() =>
        NonEmpty(Environment.GetEnvironmentVariable("AzureWebJobsScriptRoot")) ?? Directory.GetCurrentDirectory();

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
