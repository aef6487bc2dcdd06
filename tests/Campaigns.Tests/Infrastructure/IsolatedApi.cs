using Campaigns.Api;
using Campaigns.MigrationService;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// The real API in process on a database of its own (on the shared Postgres server), for tests that
/// need to see every row of a list, such as exact page counts, without other tests' rows.
/// </summary>
public sealed class IsolatedApi : IAsyncDisposable
{
    private readonly WebApplicationFactory<ApiAssembly> _factory;

    private IsolatedApi(WebApplicationFactory<ApiAssembly> factory, HttpClient client, NpgsqlDataSource database)
    {
        _factory = factory;
        Client = client;
        Database = database;
    }

    public HttpClient Client { get; }

    /// <summary>Direct access to this API's own database, for rows faster made with SQL.</summary>
    public NpgsqlDataSource Database { get; }

    public static async Task<IsolatedApi> StartAsync(AppFixture fixture, CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnectionStringBuilder(await fixture.Graph.ConnectionStringAsync("campaignsdb", cancellationToken));
        var database = $"isolated_{Guid.NewGuid():N}";
        await using (var admin = await fixture.Database.OpenConnectionAsync(cancellationToken))
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        server.Database = database;
        // The API does not migrate: the migrations resource does, here in process on the new database.
        await new DatabaseMigrator(server.ConnectionString, NullLogger.Instance).MigrateAsync(cancellationToken);
        // A Redis database of its own too: jobs it queues must never reach the shared graph's workers.
        var redis = await fixture.Graph.UnreadRedisAsync(1, cancellationToken);
        var factory = InProcessApi.Create(server.ConnectionString, redis);
        return new IsolatedApi(factory, factory.CreateAuthenticatedClient(), NpgsqlDataSource.Create(server.ConnectionString));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Database.DisposeAsync();
        await _factory.DisposeAsync();
    }
}
