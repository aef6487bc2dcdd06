using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Campaigns.AppHost;
using Campaigns.AppHost.Infrastructure;
using Campaigns.AppHost.Providers;
using Campaigns.Benchmarks.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Campaigns.Benchmarks.Graph;

/// <summary>
/// One Campaigns graph (Postgres, Redis, migrations, API, workers, the provider simulator) on throwaway
/// data, started from code as the tests do. The workers start only when a scenario asks for them, with
/// that scenario's settings: their environment is read from <see cref="_workerSettings"/> each time a
/// replica starts, so one graph serves every scenario (a restart costs seconds, a new graph tens of
/// seconds). The simulator is there as in Development (the AppHost wires its accounts into the worker
/// and the API's webhooks); workers send through it only when their settings say so, else through the
/// in-process mock.
/// </summary>
public sealed class BenchGraph : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory;
    private WorkerSettings _workerSettings;
    private int _apiSmsCapPerDay;

    private BenchGraph(DistributedApplication app, string dataDirectory, WorkerSettings initial, int workerReplicas, int apiSmsCapPerDay,
        bool redisCluster)
    {
        RedisResources = redisCluster
            ? ["redis", .. Enumerable.Range(0, InfrastructureOptions.RedisClusterMasters).Select(i => $"redis-{i}")]
            : ["redis"];
        App = app;
        _apiSmsCapPerDay = apiSmsCapPerDay;
        Webhooks = new WebhookCredentials(dataDirectory);
        _dataDirectory = dataDirectory;
        _workerSettings = initial;
        WorkerReplicas = workerReplicas;
        Resources = new GraphResources(app);
    }

    public DistributedApplication App { get; }

    public GraphResources Resources { get; }

    public int WorkerReplicas { get; }

    /// <summary>What the API's webhooks verify against.</summary>
    public WebhookCredentials Webhooks { get; }

    public WorkerSettings WorkerSettings => _workerSettings;

    /// <summary>The resources whose processes are Redis: the server, or the cluster's joiner and its nodes.</summary>
    public IReadOnlyList<string> RedisResources { get; }

    /// <summary>The send queue's shards on a Redis Cluster: one per master, so each master holds one.</summary>
    public const int ClusterShards = InfrastructureOptions.RedisClusterMasters;

    /// <summary>The API key the AppHost generated for this graph.</summary>
    public string ApiKey => GraphSecrets.Read(_dataDirectory, ApiLimits.ApiKeyParameter);

    /// <summary>The API's <c>Compliance:Sms:MaxPerCustomerPerDay</c> as its process was last started (0: no cap).</summary>
    public int ApiSmsCapPerDay => _apiSmsCapPerDay;

    /// <param name="workerReplicas">Worker replicas declared (the most any scenario runs); none is started yet.</param>
    /// <param name="apiSmsCapPerDay">The API's sms frequency cap at its first start (0: none); see <see cref="RestartApiAsync"/>.</param>
    /// <param name="redisCluster">Redis as the local cluster of three masters, the queue in <see cref="ClusterShards"/> shards.</param>
    public static async Task<BenchGraph> StartAsync(int workerReplicas, TextWriter log, CancellationToken cancellationToken,
        int apiSmsCapPerDay = 0, bool redisCluster = false)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var ct = timeout.Token;

        var dataDirectory = Path.Combine(Path.GetTempPath(), $"campaigns-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        string[] arguments = [$"Infrastructure:DataDirectory={dataDirectory}", "Infrastructure:Ephemeral=true", $"{SimulatedProviders.Switch}=true"];
        if (redisCluster)
        {
            arguments = [.. arguments, "Infrastructure:RedisCluster=true", $"Queue:Shards={ClusterShards}"];
        }
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Campaigns_AppHost>(arguments, ct);

        // The harness prints its own progress; the graph's logs stay quiet unless something is wrong.
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
            .AddFilter("Campaigns.AppHost.Resources", LogLevel.Warning)
            // Postgres writes its ordinary log lines to stderr.
            .AddFilter("Campaigns.AppHost.Resources.postgres", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        builder.CreateResourceBuilder<ProjectResource>(MigrationsResource.Name)
            .WithEnvironment("DemoData__Enabled", "false");
        BenchGraph? graph = null;
        builder.CreateResourceBuilder<ProjectResource>("api")
            .WithEnvironment("Logging__LogLevel__Default", "Warning")
            .WithEnvironment(context =>
            {
                // Read at every start of the API: the frequency cap of the scenario that (re)starts it.
                context.EnvironmentVariables["Compliance__Sms__MaxPerCustomerPerDay"] =
                    (graph?._apiSmsCapPerDay ?? apiSmsCapPerDay).ToString(System.Globalization.CultureInfo.InvariantCulture);
            });
        ApiLimits.Relax(builder.CreateResourceBuilder<ProjectResource>("api"));
        SimulatorSettings.Apply(builder.CreateResourceBuilder<ProjectResource>(SimulatedProviders.ResourceName));

        builder.CreateResourceBuilder<ProjectResource>("worker")
            .WithReplicas(workerReplicas)
            .WithExplicitStart()
            .WithEnvironment("Logging__LogLevel__Default", "Warning")
            .WithEnvironment(context =>
            {
                // Read at every start of a replica: the settings of the scenario that starts it.
                (graph?._workerSettings ?? WorkerSettings.ZeroLatency(256)).ApplyTo(context.EnvironmentVariables);
            });

        var app = await builder.BuildAsync(ct);
        graph = new BenchGraph(app, dataDirectory, WorkerSettings.ZeroLatency(256), workerReplicas, apiSmsCapPerDay, redisCluster);
        try
        {
            log.WriteLine($"Starting the graph (Postgres, {(redisCluster ? "a Redis Cluster" : "Redis")}, migrations, API, provider simulator)…");
            await app.StartAsync(ct);
            await MigrationsResource.WaitForSuccessAsync(app, ct);
            await ServiceHealth.WaitAsync(app, "api", ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync(SimulatedProviders.ResourceName, ct);
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

    /// <summary>
    /// Leaves exactly <paramref name="replicas"/> workers running, all started with <paramref name="settings"/>.
    /// With the same settings, replicas are only added or stopped. With new settings, idle replicas start
    /// while the running ones stop (a swap costs one start, not a stop and a start). Returns once the
    /// new ones answer their own health check and the old ones are gone.
    /// </summary>
    public async Task RunWorkersAsync(int replicas, WorkerSettings settings, CancellationToken cancellationToken)
    {
        if (replicas > WorkerReplicas)
        {
            throw new ArgumentOutOfRangeException(nameof(replicas), $"The graph declares {WorkerReplicas} worker replicas");
        }
        var ids = await Resources.ReplicaIdsAsync("worker", WorkerReplicas, cancellationToken);
        var running = ids.Where(Resources.IsRunning).ToList();
        var idle = ids.Except(running).ToList();
        IEnumerable<string> toStop, toStart;
        if (settings == _workerSettings && running.Count > 0)
        {
            toStop = running.Skip(replicas);
            toStart = idle.Take(Math.Max(0, replicas - running.Count));
        }
        else if (idle.Count >= replicas)
        {
            toStop = running;
            toStart = idle.Take(replicas);
        }
        else
        {
            // Not enough idle replicas to swap to: stop first, then start with the new settings.
            await Task.WhenAll(running.Select(id => Resources.StopAsync(id, cancellationToken)));
            toStop = [];
            toStart = ids.Take(replicas);
        }
        _workerSettings = settings;
        await Task.WhenAll(toStop.Select(id => Resources.StopAsync(id, cancellationToken))
            .Concat(toStart.Select(id => Resources.StartAsync(id, cancellationToken))));
    }

    /// <summary>
    /// <c>Webhooks:PublicBaseUrl</c> as the API process was started with it (the URL its signature checks
    /// rebuild), or the endpoint it was made from when the process's environment cannot be read.
    /// </summary>
    public async Task<Uri> WebhooksPublicBaseUrlAsync(CancellationToken cancellationToken)
    {
        var pid = (await Resources.ProcessIdsAsync("api", 1, cancellationToken)).FirstOrDefault();
        var configured = pid > 0 ? ProcFs.EnvironmentVariable(pid, WebhookCredentials.PublicBaseUrlVariable) : null;
        return configured is not null ? new Uri(configured) : App.GetEndpoint("api", "http");
    }

    /// <summary>
    /// Stops the API and starts it again with <paramref name="smsCapPerDay"/> as its sms frequency cap (an
    /// API-wide setting read at start). Returns once the new process answers its own health check; its own
    /// address may differ from the old one's, so clients of it are made anew.
    /// </summary>
    public async Task RestartApiAsync(int smsCapPerDay, CancellationToken cancellationToken)
    {
        var id = (await Resources.ReplicaIdsAsync("api", 1, cancellationToken)).Single();
        _apiSmsCapPerDay = smsCapPerDay;
        await Resources.StopAsync(id, cancellationToken);
        await Resources.StartAsync(id, cancellationToken);
    }

    public async Task StopWorkersAsync(CancellationToken cancellationToken)
    {
        var ids = await Resources.ReplicaIdsAsync("worker", WorkerReplicas, cancellationToken);
        await Task.WhenAll(ids.Where(Resources.IsRunning).Select(id => Resources.StopAsync(id, cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await App.DisposeAsync();
            TryDelete(_dataDirectory);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A server still closing its files; the temp folder is cleaned by the OS eventually.
        }
    }
}
