using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Campaigns.Tests.Infrastructure;
using Npgsql;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// The tests of two worker replicas share one graph of their own (started once for them all, after the parallel tests):
/// a delivery (<see cref="ReplicaDeliveryTests"/>) and a full A/B run (<see cref="Variants.AbTestReplicaTests"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TwoWorkerReplicasCollection : ICollectionFixture<TwoWorkerReplicas>
{
    public const string Name = "TwoWorkerReplicas";
}

/// <summary>A graph whose worker runs as two replicas, with small batches so that both get a share of one campaign.</summary>
public sealed class TwoWorkerReplicas : IAsyncLifetime
{
    private CampaignsGraph? _graph;
    private NpgsqlDataSource? _database;

    public CampaignsGraph Graph => _graph ?? throw new InvalidOperationException("The graph has not started");

    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("The graph has not started");

    public async ValueTask InitializeAsync()
    {
        _graph = await CampaignsGraph.StartAsync(builder => builder
            .CreateResourceBuilder<ProjectResource>("worker")
            .WithReplicas(2)
            .WithEnvironment("Worker__BatchSize", "20")
            .WithEnvironment("Worker__Concurrency", "40"), TestContext.Current.CancellationToken);
        _database = NpgsqlDataSource.Create(await _graph.ConnectionStringAsync("campaignsdb", TestContext.Current.CancellationToken));
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
