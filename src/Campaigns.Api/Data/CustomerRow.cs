using Campaigns.Api.Contracts;
using Campaigns.Core.Customers;
using Campaigns.Core.Templates;

namespace Campaigns.Api.Data;

/// <summary>
/// A customers row as Dapper reads it. Missing optional text is stored as "". <see cref="Timezone"/> is null
/// only on a row written by SQL around the API that the migrations' backfill has not reached yet.
/// </summary>
public sealed class CustomerRow
{
    public const string Columns = "id, phone, first_name, last_name, location, preferred_product, opted_out, timezone, created_at, updated_at, language";

    public long Id { get; init; }
    public string Phone { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string Location { get; init; } = "";
    public string PreferredProduct { get; init; } = "";
    public bool OptedOut { get; init; }
    public string? Timezone { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>The customer's own language; null: derived at send time (<see cref="Campaigns.Core.Languages.RecipientLanguages"/>).</summary>
    public string? Language { get; init; }

    public TemplateFields ToTemplateFields() => new(FirstName, LastName, Location, PreferredProduct, Phone);

    /// <summary>The customer as a send reads them (what a preview renders with).</summary>
    public RecipientRow ToRecipientRow() => new(Id, ToTemplateFields(), OptedOut, Suppressed: false, FrequencyCapped: false, Timezone, Language);

    /// <summary>The customer as the API answers; a zone not stored yet is the one the backfill will store.</summary>
    public CustomerResponse ToResponse(CustomerTimeZones zones) => new(Id, Phone, FirstName, LastName, Location, PreferredProduct,
        OptedOut, Timezone ?? zones.ForPhone(Phone), CampaignRow.AsUtc(CreatedAt), CampaignRow.AsUtc(UpdatedAt), Language);
}
