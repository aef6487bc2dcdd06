using DbUp;
using DbUp.Engine;
using Npgsql;

namespace Campaigns.MigrationService;

/// <summary>
/// Applies the embedded SQL migrations with DbUp, under a Postgres advisory lock so that runs started
/// together (two AppHosts on one database, a test beside the graph) migrate once and the others find
/// nothing left to do.
/// </summary>
public sealed class DatabaseMigrator(string connectionString, ILogger logger)
{
    // Any fixed number works: it only has to be the same for every run.
    private const long MigrationLockKey = 7_150_311_001;

    /// <returns>The scripts this run applied, in order; none when the database was up to date.</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", MigrationLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly)
                .WithTransactionPerScript()
                .LogTo(new DbUpLogger(logger))
                .Build();

            DatabaseUpgradeResult result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
            }
            var applied = result.Scripts.Select(script => script.Name).ToList();
            Log.MigrationsApplied(logger, applied.Count, applied);
            return applied;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
