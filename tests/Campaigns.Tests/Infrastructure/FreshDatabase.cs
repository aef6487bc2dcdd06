using Dapper;
using Npgsql;

namespace Campaigns.Tests.Infrastructure;

/// <summary>An empty database beside the shared one, dropped when the test ends.</summary>
public sealed class FreshDatabase(AppFixture fixture, string name, string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public static async Task<FreshDatabase> CreateAsync(AppFixture fixture, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(await fixture.Graph.ConnectionStringAsync("campaignsdb", cancellationToken))
        {
            Database = $"fresh_{Guid.NewGuid():N}",
        };
        await using var admin = await fixture.Database.OpenConnectionAsync(cancellationToken);
        await admin.ExecuteAsync(new CommandDefinition($"CREATE DATABASE \"{connection.Database}\"", cancellationToken: cancellationToken));
        return new FreshDatabase(fixture, connection.Database!, connection.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        // The test's pools are closed by now; FORCE ends any connection a process left behind.
        NpgsqlConnection.ClearAllPools();
        await using var admin = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        await admin.ExecuteAsync(new CommandDefinition($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }
}
