using Campaigns.Api.Json;

namespace Campaigns.Api.Contracts;

/// <summary><c>phone</c> is required; absent or null text is stored as "", absent or null <c>opted_out</c> as false.</summary>
public sealed record CreateCustomerRequest(
    string? Phone, string? FirstName, string? LastName, string? Location, string? PreferredProduct, bool? OptedOut);

/// <summary>
/// Only the members present change. A null text member clears it to ""; a null <c>phone</c> is refused;
/// a null <c>opted_out</c> leaves it as it is.
/// </summary>
public sealed record UpdateCustomerRequest
{
    public Optional<string> Phone { get; init; }
    public Optional<string> FirstName { get; init; }
    public Optional<string> LastName { get; init; }
    public Optional<string> Location { get; init; }
    public Optional<string> PreferredProduct { get; init; }
    public Optional<bool?> OptedOut { get; init; }
}

public sealed record CustomerResponse(
    long Id,
    string Phone,
    string FirstName,
    string LastName,
    string Location,
    string PreferredProduct,
    bool OptedOut,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>One import row that did not land: its 1-based row, the phone as sent ("" when absent; cut when longer than a phone can be), and why.</summary>
public sealed record ImportRejection(int Row, string Phone, string Error);

/// <summary>
/// The outcome of <c>POST /customers/import</c>: <c>received − created − updated</c> rows were rejected, the first
/// 1,000 of them listed in <c>rejected</c>, and <c>customer_ids</c> holds the id of every landed row in row order.
/// </summary>
public sealed record ImportResponse(int Received, int Created, int Updated, IReadOnlyList<ImportRejection> Rejected,
    IReadOnlyList<long> CustomerIds);
