using System.Diagnostics;
using Campaigns.ServiceDefaults;

namespace Campaigns.MigrationService;

/// <summary>
/// The whole job of this process: migrate, seed demo data when asked, give customers without a time
/// zone theirs (<see cref="CustomerTimeZoneBackfill"/>), then stop. The exit code is what
/// the AppHost's <c>WaitForCompletion</c> reads: 0 lets the API and the workers start, anything else
/// keeps them waiting and the reason is in this resource's logs.
/// </summary>
public sealed class DatabaseInitializer(
    DatabaseMigrator migrator,
    DemoDataSeeder seeder,
    CustomerTimeZoneBackfill timeZones,
    IHostEnvironment environment,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseInitializer> logger) : BackgroundService
{
    private static readonly ActivitySource ActivitySource = new(CampaignsTelemetry.MigrationsSource);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrate database", ActivityKind.Client);
        try
        {
            await migrator.MigrateAsync(stoppingToken);
            if (environment.IsDevelopment() && configuration.GetValue("DemoData:Enabled", true))
            {
                await seeder.SeedIfEmptyAsync(stoppingToken);
            }
            // After the seed too: demo customers are written by SQL, without a zone.
            await timeZones.FillMissingAsync(stoppingToken);
        }
        catch (Exception exception)
        {
            activity?.AddException(exception);
            activity?.SetStatus(ActivityStatusCode.Error);
            Log.MigrationError(logger, exception);
            Log.MigrationFailed(logger, exception.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
