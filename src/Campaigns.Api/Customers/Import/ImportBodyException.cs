namespace Campaigns.Api.Customers.Import;

/// <summary>The import body as a whole cannot be read (malformed JSON, not an array, a CSV header without phone).</summary>
public sealed class ImportBodyException(string code, string field, string message) : Exception(message)
{
    /// <summary>The contract's error code: <c>INVALID_JSON</c> or <c>VALIDATION_ERROR</c>.</summary>
    public string Code { get; } = code;

    /// <summary>The field a <c>VALIDATION_ERROR</c> names.</summary>
    public string Field { get; } = field;
}
