using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Contracts.Support;

internal static class Services
{
    public static CustomCodeServices InMemory(InMemoryObjectStore? store = null, int claimCheckThresholdBytes = 192 * 1024) =>
        new(store ?? new InMemoryObjectStore(), TimeProvider.System, new CustomCodeOptions { ClaimCheckThresholdBytes = claimCheckThresholdBytes });
}
