using Campaigns.MigrationService;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Campaigns.Tests.CustomerEndpoints;

/// <summary>
/// Customers written without a zone (before migration 0014, or by SQL around the API) get their phone's
/// zone from the migrations service, batch by batch; a zone already stored stays. Each test works on a
/// database of its own, so the shared graph's customers are never touched.
/// </summary>
public sealed class CustomerTimeZoneBackfillTests(AppFixture fixture)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_backfill_gives_each_customer_without_a_zone_their_phones_and_leaves_stored_zones()
    {
        await using var database = await FreshDatabase.CreateAsync(fixture, Ct);
        await new DatabaseMigrator(database.ConnectionString, NullLogger.Instance).MigrateAsync(Ct);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        string[] phones = ["+254712000001", "+442079460123", "+12126041234", "+80012345678", "not a phone", "+254712000002"];
        string?[] given = [null, null, null, null, null, "Asia/Tokyo"];
        await using (var connection = await dataSource.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO customers (phone, timezone) SELECT * FROM unnest(@phones::text[], @given::text[])",
                new { phones, given }, cancellationToken: Ct));
        }
        var backfill = new CustomerTimeZoneBackfill(dataSource, NullLogger<CustomerTimeZoneBackfill>.Instance);

        // Batches of two: the five rows without a zone take three, so the walk from batch to batch is exercised.
        var filled = await backfill.FillMissingAsync(batchSize: 2, Ct);
        var again = await backfill.FillMissingAsync(Ct);

        Assert.Equal(5, filled);
        Assert.Equal(0, again);
        await using var read = await dataSource.OpenConnectionAsync(Ct);
        var zones = (await read.QueryAsync<(string Phone, string? Timezone)>(new CommandDefinition(
            "SELECT phone, timezone FROM customers", cancellationToken: Ct))).ToDictionary(row => row.Phone, row => row.Timezone);
        Assert.Equal("Africa/Nairobi", zones["+254712000001"]);
        Assert.Equal("Europe/London", zones["+442079460123"]);
        Assert.Equal("America/New_York", zones["+12126041234"]);
        Assert.Equal("UTC", zones["+80012345678"]);
        Assert.Equal("UTC", zones["not a phone"]);
        Assert.Equal("Asia/Tokyo", zones["+254712000002"]);
    }

    [Fact]
    public async Task The_migrations_service_gives_customers_it_seeds_their_zones_before_it_exits()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(ProcessTimeout);
        await using var database = await FreshDatabase.CreateAsync(fixture, Ct);

        // Development seeds demo customers by SQL, without zones: the run must leave none without one.
        await using (var migrations = ServiceProcess.Start(new Projects.Campaigns_MigrationService(), new Dictionary<string, string>
        {
            ["ConnectionStrings__campaignsdb"] = database.ConnectionString,
            ["DOTNET_ENVIRONMENT"] = "Development",
        }))
        {
            var exitCode = await migrations.WaitForExitAsync(timeout.Token);
            Assert.True(exitCode == 0, $"The migration service exited with {exitCode}:{Environment.NewLine}{migrations.Output}");
            Assert.Contains("without a time zone the one their phone gives", migrations.Output);
        }

        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        var zones = (await connection.QueryAsync<string?>(new CommandDefinition(
            "SELECT timezone FROM customers", cancellationToken: Ct))).ToList();
        Assert.NotEmpty(zones);
        Assert.All(zones, zone => Assert.Equal("Africa/Nairobi", zone));
    }
}
