using System.Text.Json.Serialization;

namespace Campaigns.Api.Customers.Import;

/// <summary>
/// One import row as the body gave it, before validation. A null member was not given (for CSV: no such
/// column; a JSON null text is given as ""; a JSON null or an empty CSV cell is no <see cref="Timezone"/>; a JSON null or an empty CSV cell is a <see cref="Language"/> of "":
/// none, which clears it). <see cref="ShapeError"/> says why the row could not be read
/// as a customer (not a JSON object, a member of the wrong type, a CSV row of the wrong width).
/// </summary>
[JsonConverter(typeof(ImportRowJsonConverter))]
public readonly record struct ImportRow(
    string? Phone,
    string? FirstName,
    string? LastName,
    string? Location,
    string? PreferredProduct,
    bool? OptedOut,
    string? Timezone,
    string? Language,
    string? ShapeError = null);
