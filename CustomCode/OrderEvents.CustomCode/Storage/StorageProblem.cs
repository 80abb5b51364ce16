namespace OrderEvents.CustomCode.Storage;

/// <summary>Why a storage-backed function did nothing: the input at <see cref="Path"/> (a parameter name or a
/// JSON path inside it) broke the rule <see cref="Code"/>. Same shape as the contract validator's errors.</summary>
public sealed record StorageProblem(string Path, string Code, string Message);
