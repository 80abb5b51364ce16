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

    /// <summary>The RETURN messages (<c>ID/NUMBER</c>, comma-separated) with which SAP refuses a sales order whose customer
    /// purchase order number the sold-to party already used (the sales document type's duplicate purchase order check,
    /// set to an error). Such a refusal means "the order may exist already", so the next delivery looks it up. The
    /// default, V4/115, must be confirmed with the SAP team (docs/deployment.md, "SAP prerequisites").</summary>
    public string SapDuplicateReferenceMessages { get; init; } = "V4/115";

    public const string LakeContainerSetting = "Lake_Container";
    public const string SapDuplicateReferenceMessagesSetting = "Sap_DuplicateReferenceMessages";
    public const string IdempotencyContainerSetting = "Idempotency_Container";
    public const string ClaimCheckThresholdSetting = "Orders_ClaimCheckThresholdBytes";

    /// <summary>The options from app settings (absent, empty or unusable values keep the defaults): one reader for
    /// the Logic Apps host and the local app.</summary>
    public static CustomCodeOptions FromSettings(Func<string, string?> setting)
    {
        var defaults = new CustomCodeOptions();
        return new CustomCodeOptions
        {
            LakeContainer = NonEmpty(setting(LakeContainerSetting)) ?? defaults.LakeContainer,
            IdempotencyContainer = NonEmpty(setting(IdempotencyContainerSetting)) ?? defaults.IdempotencyContainer,
            ClaimCheckThresholdBytes = int.TryParse(setting(ClaimCheckThresholdSetting), out var threshold) && threshold > 0
                ? threshold : defaults.ClaimCheckThresholdBytes,
            SapDuplicateReferenceMessages = NonEmpty(setting(SapDuplicateReferenceMessagesSetting)) ?? defaults.SapDuplicateReferenceMessages,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>What the custom-code functions need from their host: storage, a clock and settings.</summary>
public sealed record CustomCodeServices(IObjectStore Store, TimeProvider Clock, CustomCodeOptions Options);
