using System.Diagnostics;
using Campaigns.Api.Telemetry;
using DbUp;
using DbUp.Engine;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// Applies the embedded SQL migrations with DbUp, under a Postgres advisory lock so that any number
/// of API instances starting together migrate once.
/// </summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<DatabaseMigrator> logger)
{
    // Any fixed number works: it only has to be the same for every instance.
    private const long MigrationLockKey = 7_150_311_001;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        // One start-up trace holding every migration statement, not a root trace per statement.
        using var activity = ApiTelemetry.ActivitySource.StartActivity("database migrate", ActivityKind.Internal);
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", MigrationLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            // DbUp opens its own connections; the data source's connection string has the password stripped.
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(configuration.GetConnectionString("campaignsdb")
                    ?? throw new InvalidOperationException("ConnectionStrings:campaignsdb is not configured"))
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly)
                .WithTransactionPerScript()
                .LogTo(new DbUpLogger(logger))
                .Build();

            DatabaseUpgradeResult result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed", result.Error);
            }
            Log.MigrationsApplied(logger, result.Scripts.Count());
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
