using Campaigns.Core.Customers;

namespace Campaigns.Api.Data;

/// <summary>
/// What a PATCH does to a customer's zone (api.md, "Customers"): a zone given is stored; a null one is
/// derived from the phone (the new one, when the PATCH changes it) again; none given keeps the zone,
/// unless the phone changes and the zone was the old phone's, which then follows the new phone. "Was the
/// old phone's" means equal to what the old phone gives: a zone given that happens to equal it follows too.
/// </summary>
public readonly record struct TimezoneChange
{
    private TimezoneChange(string? given, bool derive)
    {
        Given = given;
        Derive = derive;
    }

    public static TimezoneChange Keep => default;

    public static TimezoneChange Rederive => new(null, derive: true);

    public static TimezoneChange To(string zone) => new(zone, derive: false);

    /// <summary>The zone given, stored as is.</summary>
    public string? Given { get; }

    /// <summary>Derive the zone from the phone again.</summary>
    public bool Derive { get; }

    /// <summary>Whether the zone to store depends on the stored phone and zone.</summary>
    public bool NeedsStored(string? newPhone) => Given is null && (Derive || newPhone is not null);

    /// <summary>The zone to store, or null to leave the stored one.</summary>
    public string? Resolve(string storedPhone, string? storedZone, string? newPhone, CustomerTimeZones zones)
    {
        if (Given is not null)
        {
            return Given;
        }
        var phone = newPhone ?? storedPhone;
        if (Derive || storedZone is null)
        {
            return zones.ForPhone(phone);
        }
        return phone != storedPhone && storedZone == zones.ForPhone(storedPhone) ? zones.ForPhone(phone) : null;
    }
}
