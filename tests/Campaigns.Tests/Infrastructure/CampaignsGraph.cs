using Campaigns.Core.Queue;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Campaigns.AppHost;
using Campaigns.AppHost.Infrastructure;
using Campaigns.AppHost.Providers;
using Campaigns.Tests.Infrastructure.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// One running Campaigns graph (Postgres, Redis, migrations, API, worker) on throwaway data. The shared
/// fixture holds one for the whole test run; fault drills start their own so they disturb no one.
/// </summary>
public sealed class CampaignsGraph : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    /// <summary>
    /// The test graphs' send queue is sharded (production's default is one stream), so every delivery and recovery test
    /// runs through the shards; the benchmark's graph keeps the default, so one shard is exercised end to end there.
    /// </summary>
    public const int QueueShards = 4;

    /// <summary>The streams of the test graphs' send queue.</summary>
    public static readonly SendQueueShards Queue = new(QueueShards);

    /// <summary>
    /// <c>CAMPAIGNS_TEST_REDIS=cluster</c>: every graph of the run (the shared one, drills, own graphs) on a local Redis
    /// Cluster of three masters instead of one Redis. Tests that want a Redis no worker reads get one beside it
    /// (<see cref="UnreadRedisAsync"/>).
    /// </summary>
    public static readonly bool OnRedisCluster =
        string.Equals(Environment.GetEnvironmentVariable("CAMPAIGNS_TEST_REDIS"), "cluster", StringComparison.OrdinalIgnoreCase);

    private CampaignsGraph(DistributedApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
    }

    public DistributedApplication App { get; }

    public string DataDirectory { get; }

    /// <param name="configure">Per-graph settings, applied before the graph is built.</param>
    /// <param name="args">
    /// AppHost settings (<c>Key=value</c>) after the defaults, so they win: <c>Providers:Simulator=true</c>
    /// puts the provider simulator in the graph (off by default: the worker's in-process mock).
    /// </param>
    public static Task<CampaignsGraph> StartAsync(
        Action<IDistributedApplicationTestingBuilder>? configure = null, CancellationToken cancellationToken = default,
        IEnumerable<string>? args = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"campaigns-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        return StartAsync(
            [$"Infrastructure:DataDirectory={dataDirectory}", "Infrastructure:Ephemeral=true", $"{SimulatedProviders.Switch}=false",
                $"Queue:Shards={QueueShards}", "Infrastructure:RedisClusterNodeTimeout=00:00:02",
                .. OnRedisCluster ? ["Infrastructure:RedisCluster=true"] : Array.Empty<string>(), .. args ?? []],
            appHostDirectory: null, dataDirectory, configure, cancellationToken);
    }

    /// <summary>
    /// The graph as <c>eng/run.sh</c> starts it in a clone at <paramref name="cloneRoot"/>: the AppHost's
    /// sources (scripts, settings) from the clone, its data where the AppHost puts it by default, not
    /// throwaway. The projects it starts are this build's.
    /// </summary>
    public static Task<CampaignsGraph> StartInCloneAsync(string cloneRoot, CancellationToken cancellationToken) =>
        StartAsync([], Path.Combine(cloneRoot, "src", "Campaigns.AppHost"), Path.Combine(cloneRoot, ".data"),
            configure: null, cancellationToken);

    private static async Task<CampaignsGraph> StartAsync(string[] args, string? appHostDirectory, string dataDirectory,
        Action<IDistributedApplicationTestingBuilder>? configure, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var ct = timeout.Token;

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Campaigns_AppHost>(args, (options, _) =>
        {
            if (appHostDirectory is not null)
            {
                options.ProjectDirectory = appHostDirectory;
            }
        }, ct);
        builder.CreateResourceBuilder<ProjectResource>(MigrationsResource.Name)
            .WithEnvironment("DemoData__Enabled", "false");
        builder.CreateResourceBuilder<ProjectResource>("api")
            // The suite makes thousands of requests a second; rate limits are tested in process.
            .WithEnvironment("RateLimits__PermitsPerSecond", "1000000")
            .WithEnvironment("RateLimits__Burst", "1000000")
            .WithEnvironment("RateLimits__SendPermitsPerSecond", "1000000")
            .WithEnvironment("RateLimits__SendBurst", "1000000")
            .WithEnvironment("RateLimits__ImportConcurrency", "1000000")
            .WithEnvironment("RateLimits__SendConcurrency", "1000000")
            .WithEnvironment("RateLimits__LinkPermitsPerSecond", "1000000")
            .WithEnvironment("RateLimits__LinkBurst", "1000000")
            .WithEnvironment("RateLimits__WebhookPermitsPerSecond", "1000000")
            .WithEnvironment("RateLimits__WebhookBurst", "1000000");
        builder.CreateResourceBuilder<ProjectResource>("worker")
            .WithEnvironment("Sender__RecordCalls", "true")
            .WithEnvironment("Sender__ForcedTransientFailurePattern", DeliveryPhones.ForcedTransientPattern)
            .WithEnvironment("Sender__ForcedPermanentFailurePattern", DeliveryPhones.ForcedPermanentPattern)
            .WithEnvironment("Worker__RetryBaseDelay", "00:00:00.200")
            .WithEnvironment("Worker__RequeueInterval", "00:00:00.250")
            .WithEnvironment("Worker__SweepInterval", "00:00:01")
            .WithEnvironment("Worker__PartitionInterval", "00:00:01")
            .WithEnvironment("Worker__SchedulerInterval", "00:00:00.250")
            .WithEnvironment("Logging__LogLevel__Campaigns.Worker", "Debug");
        // Every client the graph makes (CreateClient) checks its exchanges against the API's OpenAPI document.
        builder.Services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new OpenApiConformanceHandler()));
        if (Environment.GetEnvironmentVariable("CAMPAIGNS_TEST_LOG") is { Length: > 0 } logPath)
        {
            builder.Services.AddLogging(logging => logging.AddProvider(new FileLoggerProvider(logPath)));
        }
        configure?.Invoke(builder);

        var app = await builder.BuildAsync(ct);
        var graph = new CampaignsGraph(app, dataDirectory);
        try
        {
            await app.StartAsync(ct);
            await MigrationsResource.WaitForSuccessAsync(app, ct);
            await ServiceHealth.WaitAsync(app, "api", ct);
            await ServiceHealth.WaitAsync(app, "worker", ct);
        }
        catch
        {
            try
            {
                // Postgres or Redis gone: the dependants gave up, and the server's log has the reason.
                await ServerFailures.ThrowIfAnyEndedAsync(app, cancellationToken);
            }
            finally
            {
                await graph.DisposeAsync();
            }
            throw;
        }
        return graph;
    }

    /// <summary>The API key the AppHost generated for this graph (kept beside its data).</summary>
    public string ApiKey => File.ReadAllText(Path.Combine(DataDirectory, "secrets", "api-key.password")).Trim();

    /// <summary>A client for a resource; the API's carries the key unless <paramref name="authenticated"/> is false.</summary>
    public HttpClient CreateClient(string resource = "api", bool authenticated = true)
    {
        var client = App.CreateHttpClient(resource, "http");
        if (resource == "api" && authenticated)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        }
        return client;
    }

    /// <summary>Whether this graph's <c>redis</c> is a Redis Cluster (<c>Infrastructure:RedisCluster</c>).</summary>
    public bool IsRedisCluster =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<LocalRedisClusterResource>().Any();

    /// <summary>
    /// A Redis database no worker of this graph reads, for an API run in process whose jobs must stay where they were
    /// published: database <paramref name="database"/> of the graph's Redis, or on a cluster (database 0 only, and every
    /// stream read) of a Redis beside it (<see cref="ScratchRedis"/>).
    /// </summary>
    public async Task<string> UnreadRedisAsync(int database, CancellationToken cancellationToken)
    {
        var server = IsRedisCluster
            ? (await ScratchRedis.SharedAsync(cancellationToken)).ConnectionString
            : await ConnectionStringAsync("redis", cancellationToken);
        return $"{server},defaultDatabase={database}";
    }

    public async Task<string> ConnectionStringAsync(string resource, CancellationToken cancellationToken = default) =>
        await App.GetConnectionStringAsync(resource, cancellationToken)
        ?? throw new InvalidOperationException($"No connection string for {resource}");

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        finally
        {
            await App.DisposeAsync();
            TryDelete(DataDirectory);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A server still closing its files; the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
