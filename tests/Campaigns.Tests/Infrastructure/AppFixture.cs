using Npgsql;

[assembly: AssemblyFixture(typeof(Campaigns.Tests.Infrastructure.AppFixture))]

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// The one graph shared by every test in the run: started once, healthy before any test runs.
/// Tests create their own data with unique values, so they run in any order and in parallel.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private CampaignsGraph? _graph;
    private NpgsqlDataSource? _database;

    public CampaignsGraph Graph => _graph ?? throw new InvalidOperationException("The graph has not started");

    /// <summary>Direct access to campaignsdb, for asserting what the API wrote.</summary>
    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("The graph has not started");

    public HttpClient CreateApiClient() => Graph.CreateClient("api");

    public async ValueTask InitializeAsync()
    {
        _graph = await CampaignsGraph.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        _database = NpgsqlDataSource.Create(await _graph.ConnectionStringAsync("campaignsdb"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        if (_graph is not null)
        {
            await _graph.DisposeAsync();
        }
    }
}
