using Campaigns.Core.Customers;
using Npgsql;

namespace Campaigns.Api.Customers;

/// <summary>
/// The customers' time zones (<see cref="CustomerTimeZones"/>), read from the database on first use and
/// kept: Postgres's list of zone names changes only with its server's time zone data. A failed read is
/// not kept, so the next request tries again.
/// </summary>
public sealed class TimeZoneCatalog(NpgsqlDataSource dataSource)
{
    private CustomerTimeZones? _zones;

    public async ValueTask<CustomerTimeZones> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _zones) is { } zones)
        {
            return zones;
        }
        // Requests racing here each read the list once; any of the equal answers may stay.
        zones = await CustomerTimeZones.LoadAsync(dataSource, cancellationToken);
        Volatile.Write(ref _zones, zones);
        return zones;
    }
}
