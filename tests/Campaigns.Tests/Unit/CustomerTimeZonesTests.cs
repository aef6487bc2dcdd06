using Campaigns.Api.Data;
using Campaigns.Core.Customers;

namespace Campaigns.Tests.Unit;

/// <summary>
/// The zone a phone gives and the names a customer's zone may take, over a fixed list standing in for
/// Postgres's <c>pg_timezone_names</c>; and what a PATCH does to a stored zone.
/// </summary>
public sealed class CustomerTimeZonesTests
{
    private static readonly CustomerTimeZones Zones = new(["Africa/Nairobi", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]);

    [Theory]
    [InlineData("+254712345678", "Africa/Nairobi")]
    [InlineData("+442079460123", "Europe/London")]
    [InlineData("+12126041234", "America/New_York")]
    [InlineData("+80012345678", "UTC")]   // international freephone: the mapper's Etc/Unknown
    [InlineData("+88213345678", "UTC")]   // not a valid number
    [InlineData("not a phone", "UTC")]    // only SQL around the API can store one
    public void A_phone_gives_the_mappers_first_zone_or_utc(string phone, string zone)
    {
        Assert.Equal(zone, Zones.ForPhone(phone));
    }

    [Fact]
    public void A_zone_the_database_does_not_list_falls_back_to_utc()
    {
        var withoutLondon = new CustomerTimeZones(["Africa/Nairobi", "UTC"]);

        Assert.Equal("UTC", withoutLondon.ForPhone("+442079460123"));
    }

    [Theory]
    [InlineData("Africa/Nairobi", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus", false)]
    [InlineData("E. Africa Standard Time", false)]
    [InlineData("africa/nairobi", false)]
    [InlineData("", false)]
    [InlineData("Etc/Unknown", false)]
    [InlineData("Europe/Paris", false)] // .NET knows it, this database's list does not
    public void A_known_zone_is_an_exact_iana_name_both_sides_know(string name, bool known)
    {
        Assert.Equal(known, Zones.IsKnown(name));
    }

    [Fact]
    public void A_patch_without_zone_or_phone_needs_and_changes_nothing()
    {
        Assert.False(TimezoneChange.Keep.NeedsStored(newPhone: null));
        Assert.Null(TimezoneChange.Keep.Resolve("+254712345678", "Asia/Tokyo", null, Zones));
    }

    [Fact]
    public void A_given_zone_is_stored_whatever_the_phone()
    {
        var change = TimezoneChange.To("Asia/Tokyo");

        Assert.False(change.NeedsStored("+442079460123"));
        Assert.Equal("Asia/Tokyo", change.Resolve("+254712345678", "Africa/Nairobi", "+442079460123", Zones));
    }

    [Theory]
    [InlineData(null, "Africa/Nairobi")]
    [InlineData("+442079460123", "Europe/London")]
    public void A_null_zone_is_derived_again_from_the_phone_it_will_have(string? newPhone, string zone)
    {
        Assert.True(TimezoneChange.Rederive.NeedsStored(newPhone));
        Assert.Equal(zone, TimezoneChange.Rederive.Resolve("+254712345678", "Asia/Tokyo", newPhone, Zones));
    }

    [Theory]
    [InlineData("Africa/Nairobi", "Europe/London")] // derived from the old phone: follows the new one
    [InlineData(null, "Europe/London")]             // not backfilled yet: gets the new phone's
    [InlineData("Asia/Tokyo", null)]                // given: stays
    public void A_new_phone_moves_only_a_derived_zone(string? storedZone, string? stored)
    {
        Assert.True(TimezoneChange.Keep.NeedsStored("+442079460123"));
        Assert.Equal(stored, TimezoneChange.Keep.Resolve("+254712345678", storedZone, "+442079460123", Zones));
    }
}
