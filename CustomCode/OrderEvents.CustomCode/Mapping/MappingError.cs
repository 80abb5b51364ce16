namespace OrderEvents.CustomCode.Mapping;

/// <summary>One problem found while mapping: the JSON path it concerns, a stable code and a readable message.
/// Same shape as the validator's errors (<c>{path, code, message}</c>) so a workflow handles both alike.</summary>
public sealed record MappingError(string Path, string Code, string Message);
