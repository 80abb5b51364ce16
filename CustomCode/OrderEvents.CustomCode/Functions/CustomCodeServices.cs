using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Functions;

/// <summary>Settings of the custom code that differ per environment (app settings in Azure).</summary>
public sealed record CustomCodeOptions
{
    /// <summary>Serialized events larger than this travel as a claim check (below Standard tier's 256 KB).</summary>
    public int ClaimCheckThresholdBytes { get; init; } = 192 * 1024;
    /// <summary>Container (ADLS Gen2 file system) of the partitioned order log, claim checks and dead letters.</summary>
    public string LakeContainer { get; init; } = "orders-lake";
    /// <summary>Container of the idempotency records.</summary>
    public string IdempotencyContainer { get; init; } = "idempotency";
}

/// <summary>What the custom-code functions need from their host: storage, a clock and settings.</summary>
public sealed record CustomCodeServices(IObjectStore Store, TimeProvider Clock, CustomCodeOptions Options);
