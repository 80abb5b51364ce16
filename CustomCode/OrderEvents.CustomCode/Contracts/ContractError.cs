namespace OrderEvents.CustomCode.Contracts;

/// <summary>One problem with a custom-code function's input: every function reports its errors as this
/// <c>{path, code, message}</c> record, so a workflow handles the contract's, the mappers' and the storage
/// functions' errors alike.</summary>
/// <param name="Path">Where the problem is. The contract functions give the JSONPath of the value in the event
/// (<c>$.data.lines[1].quantity</c>); the mapping and storage functions give the path relative to the parameter
/// (<c>data.lines[1].quantity</c>, <c>orderEvent.occurredUtc</c>, see <see cref="JsonPaths.Relative"/>); a bare name
/// (<c>correlationId</c>, <c>leaseSeconds</c>) means a function parameter.</param>
/// <param name="Code">Stable code (the contract functions' are in <see cref="ContractErrorCodes"/>; other areas'
/// are documented with their function): safe to branch on and to alert on.</param>
/// <param name="Message">Readable explanation for people; may change wording.</param>
public sealed record ContractError(string Path, string Code, string Message);

/// <summary>The stable error codes of the contract functions (docs/contracts.md).</summary>
public static class ContractErrorCodes
{
    // Shape of values
    public const string Required = "Required";
    public const string WrongType = "WrongType";
    public const string UnknownProperty = "UnknownProperty";
    public const string Empty = "Empty";
    public const string TooLong = "TooLong";
    public const string ControlCharacter = "ControlCharacter";
    /// <summary>Half of a UTF-16 surrogate pair: JSON can escape one, but it is not a character and has no UTF-8 form.</summary>
    public const string InvalidUnicode = "InvalidUnicode";
    public const string InvalidFormat = "InvalidFormat";
    public const string TooFewItems = "TooFewItems";
    public const string TooManyItems = "TooManyItems";
    public const string NotPositive = "NotPositive";
    public const string Negative = "Negative";
    public const string TooSmall = "TooSmall";
    public const string TooLarge = "TooLarge";

    // Business formats
    public const string InvalidPhoneNumber = "InvalidPhoneNumber";
    public const string InvalidCurrency = "InvalidCurrency";
    public const string InvalidCountryCode = "InvalidCountryCode";
    public const string InvalidEmail = "InvalidEmail";
    public const string InvalidTimestamp = "InvalidTimestamp";
    public const string NotUtc = "NotUtc";
    public const string InvalidDate = "InvalidDate";

    // Identification of the contract
    public const string UnknownEventType = "UnknownEventType";
    public const string InvalidSchemaVersion = "InvalidSchemaVersion";
    public const string UnsupportedSchemaMajorVersion = "UnsupportedSchemaMajorVersion";
    public const string UnknownSchemaMinorVersion = "UnknownSchemaMinorVersion";
    public const string DataAndPayloadReference = "DataAndPayloadReference";
    public const string DataOrPayloadReferenceRequired = "DataOrPayloadReferenceRequired";
    public const string ErrorLimitReached = "ErrorLimitReached";

    // Function parameters and message decoding
    public const string InvalidCorrelationId = "InvalidCorrelationId";
    public const string ContentMissing = "ContentMissing";
    public const string UnsupportedContentType = "UnsupportedContentType";
    public const string ContentNotJson = "ContentNotJson";
    public const string ContentNotBase64 = "ContentNotBase64";
    public const string ContentNotUtf8 = "ContentNotUtf8";

    // Claim checks
    public const string ClaimCheckContainerNotAllowed = "ClaimCheckContainerNotAllowed";
    public const string ClaimCheckPayloadMissing = "ClaimCheckPayloadMissing";
    public const string ClaimCheckSizeMismatch = "ClaimCheckSizeMismatch";
    public const string ClaimCheckHashMismatch = "ClaimCheckHashMismatch";
    public const string ClaimCheckPayloadInvalid = "ClaimCheckPayloadInvalid";
    public const string ClaimCheckMismatch = "ClaimCheckMismatch";
    public const string ClaimCheckConflict = "ClaimCheckConflict";

    /// <summary>The validator itself faulted (a bug): reported instead of thrown so that no input crashes a run.</summary>
    public const string ValidatorFault = "ValidatorFault";
}
