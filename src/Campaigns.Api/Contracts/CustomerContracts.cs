using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Campaigns.Api.Json;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Validation;

namespace Campaigns.Api.Contracts;

/// <summary>
/// <c>phone</c> is required; absent or null text is stored as "", absent or null <c>opted_out</c> as false, and an
/// absent or null <c>timezone</c> is the one the phone gives.
/// </summary>
public sealed record CreateCustomerRequest(
    [property: Required] string? Phone,
    [property: MaxLength(CustomerRules.MaxFirstNameLength)] string? FirstName = null,
    [property: MaxLength(CustomerRules.MaxLastNameLength)] string? LastName = null,
    [property: MaxLength(CustomerRules.MaxLocationLength)] string? Location = null,
    [property: MaxLength(CustomerRules.MaxPreferredProductLength)] string? PreferredProduct = null,
    bool? OptedOut = null,
    [property: Description(CustomerRules.TimezoneDescription)] string? Timezone = null,
    [property: Description(CustomerRules.LanguageDescription)] string? Language = null);

/// <summary>
/// Only the members present change. A null text member clears it to ""; a null <c>phone</c> is refused;
/// a null <c>opted_out</c> leaves it as it is; a null <c>timezone</c> is derived from the phone again.
/// </summary>
public sealed record UpdateCustomerRequest
{
    public Optional<string> Phone { get; init; }

    [MaxLength(CustomerRules.MaxFirstNameLength)]
    public Optional<string?> FirstName { get; init; }

    [MaxLength(CustomerRules.MaxLastNameLength)]
    public Optional<string?> LastName { get; init; }

    [MaxLength(CustomerRules.MaxLocationLength)]
    public Optional<string?> Location { get; init; }

    [MaxLength(CustomerRules.MaxPreferredProductLength)]
    public Optional<string?> PreferredProduct { get; init; }

    public Optional<bool?> OptedOut { get; init; }

    [Description(CustomerRules.TimezoneChangeDescription)]
    public Optional<string?> Timezone { get; init; }

    /// <summary>Null clears it (the language is derived at each send again).</summary>
    [Description(CustomerRules.LanguageDescription)]
    public Optional<string?> Language { get; init; }
}

public sealed record CustomerResponse(
    [property: Positive] long Id,
    [property: Description("E.164")] string Phone,
    string FirstName,
    string LastName,
    string Location,
    string PreferredProduct,
    bool OptedOut,
    [property: Description("IANA time zone: as given, else the first the phone number's region has (UTC when it has none)")] string Timezone,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    [property: Description("The customer's language as given; null: derived at each send (the phone region's first language, else the campaign's default_language)")]
    string? Language);

/// <summary>One import row that did not land: its 1-based row, the phone as sent ("" when absent; cut when longer than a phone can be), and why.</summary>
public sealed record ImportRejection([property: Positive] int Row, string Phone, string Error);

/// <summary>
/// The outcome of <c>POST /customers/import</c>: <c>received − created − updated</c> rows were rejected, the first
/// 1,000 of them listed in <c>rejected</c>, and <c>customer_ids</c> holds the id of every landed row in row order.
/// </summary>
public sealed record ImportResponse(int Received, int Created, int Updated, IReadOnlyList<ImportRejection> Rejected,
    [property: Positive] IReadOnlyList<long> CustomerIds);
