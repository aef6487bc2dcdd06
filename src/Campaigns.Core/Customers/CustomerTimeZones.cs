using System.Collections.Frozen;
using Npgsql;
using PhoneNumbers;

namespace Campaigns.Core.Customers;

/// <summary>
/// The time zones a customer may be in (api.md, "Timing"): IANA names that both .NET and this Postgres
/// know, since the services compute local times in .NET and the send windows in SQL (<c>AT TIME ZONE</c>).
/// A customer without a zone of their own is in the first zone libphonenumber's time-zone mapper gives
/// for their phone, or in <see cref="Fallback"/> when it gives none both sides know (its unknown zone,
/// <c>Etc/Unknown</c>, for an unmapped or invalid number). The API and the migrations' backfill both
/// derive zones here, so a zone never depends on who wrote the row.
/// </summary>
public sealed class CustomerTimeZones
{
    /// <summary>The zone of a phone the mapper cannot place: no offset is a better guess than another.</summary>
    public const string Fallback = "UTC";

    /// <summary>The example the validation message gives.</summary>
    public const string Example = "Africa/Nairobi";

    private const string PostgresNamesSql = "SELECT name FROM pg_timezone_names";

    // Both are thread-safe singletons holding the library's compiled metadata.
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper Mapper = PhoneNumberToTimeZonesMapper.GetInstance();

    private readonly FrozenSet<string> _postgresNames;

    /// <param name="postgresNames">The names Postgres accepts (<c>pg_timezone_names</c>), exactly as it lists them.</param>
    public CustomerTimeZones(IEnumerable<string> postgresNames)
    {
        _postgresNames = postgresNames.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Reads the zone names the database knows; the list is fixed while its server runs.</summary>
    public static async Task<CustomerTimeZones> LoadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PostgresNamesSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>(capacity: 1_200);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }
        return new CustomerTimeZones(names);
    }

    /// <summary>
    /// True for an IANA name, spelt exactly, that Postgres lists and .NET finds as an IANA zone. A Windows
    /// id (<c>E. Africa Standard Time</c>) is refused even where .NET would convert it: SQL could not use it.
    /// </summary>
    public bool IsKnown(string name) =>
        _postgresNames.Contains(name)
        && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone)
        && zone.HasIanaId;

    /// <summary>The zone of a phone number in E.164: the mapper's first zone for it, else <see cref="Fallback"/>.</summary>
    public string ForPhone(string e164)
    {
        PhoneNumber number;
        try
        {
            number = Phones.Parse(e164, null);
        }
        catch (NumberParseException)
        {
            // Only rows written around the API (by SQL) can hold a phone that is not E.164.
            return Fallback;
        }
        return Mapper.GetTimeZonesForNumber(number) is [var first, ..] && first != Mapper.GetUnknownTimeZone() && IsKnown(first)
            ? first
            : Fallback;
    }
}
