using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Campaigns.Benchmarks.Api;
using Campaigns.Benchmarks.Data;
using Campaigns.Benchmarks.Graph;
using Campaigns.Benchmarks.Measure;
using Campaigns.Benchmarks.Processes;
using Campaigns.Benchmarks.Report;
using Campaigns.Benchmarks.Scenarios;
using Campaigns.AppHost.Infrastructure;
using StackExchange.Redis;

namespace Campaigns.Benchmarks;

/// <summary>
/// The whole benchmark: one graph, its data, every scenario in an order where none disturbs the next
/// (accept with no worker; deliveries, the simulator's after its receipts are applied; scale; receipts;
/// the big read datasets last), then scale_cluster on a graph of its own with a Redis Cluster, then the report.
/// </summary>
public static class BenchmarkRunner
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var report = new BenchmarkReport
        {
            Timestamp = DateTime.UtcNow.ToString("O"),
            Mode = options.Quick ? "quick" : "full",
            Machine = MachineInfo.Current(),
        };
        if (options.RunsOnSingleRedis)
        {
            // One replica more than scale needs, when the zero-latency run precedes it: scale's replicas
            // then start while the zero-latency one stops.
            var replicas = options.Runs("scale") ? options.ScaleReplicas + (options.Runs("deliver") ? 1 : 0) : 1;
            // With accept, the API starts with the sms frequency cap its windowed_capped variant measures first;
            // the scenario then restarts it without, for the plain sends and everything after.
            await using var graph = await BenchGraph.StartAsync(replicas, log, cancellationToken,
                options.Runs("accept") ? AcceptScenario.SmsCapPerDay : 0);
            await using var context = await CreateContextAsync(graph, options, report, log, options.CustomersNeeded, cancellationToken);
            await RunScenariosAsync(context, cancellationToken);
        }
        // Last, on a graph of its own (the first one stopped): the same delivery on a Redis Cluster.
        if (options.Runs("scale_cluster"))
        {
            log.WriteLine($"scale_cluster ({options.ScaleReplicas} workers, {InfrastructureOptions.RedisClusterMasters}-master Redis Cluster)…");
            report.ScaleCluster = await ScaleClusterScenario.RunAsync(options, report, log, cancellationToken);
        }

        report.Targets = Targets.Check(report);
        report.Machine.LoadAverageAtEnd = MachineInfo.LoadAverage();
        report.TotalSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
        return report;
    }

    /// <summary>A scenario's view of a started graph: a client of its API, its database and Redis, and <paramref name="customers"/> customers.</summary>
    public static async Task<BenchContext> CreateContextAsync(BenchGraph graph, BenchmarkOptions options, BenchmarkReport report,
        TextWriter log, int customers, CancellationToken cancellationToken)
    {
        var api = CampaignsClient.Create(await ApiAddressAsync(graph, cancellationToken), graph.ApiKey);
        var database = BenchDatabase.Create(await ConnectionStringAsync(graph, "campaignsdb", cancellationToken));
        var redis = await ConnectionMultiplexer.ConnectAsync(await ConnectionStringAsync(graph, "redis", cancellationToken));
        log.WriteLine($"Creating {customers:N0} customers…");
        return new BenchContext
        {
            Options = options,
            Graph = graph,
            Api = api,
            Database = database,
            Redis = redis,
            Customers = await database.CreateCustomersAsync(customers, cancellationToken),
            Report = report,
            Log = log,
            Cpu = new CpuMeter(graph),
            Memory = new MemoryPeaks(graph),
            Statements = new StatementProfile(database.DataSource),
        };
    }

    private static async Task RunScenariosAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var (options, report, graph, database, redis, log) =
            (context.Options, context.Report, context.Graph, context.Database, context.Redis, context.Log);
        report.Machine.Postgres = await database.ServerVersionAsync(cancellationToken);
        report.Machine.Redis = redis.GetServers().FirstOrDefault()?.Version.ToString();
        report.Machine.ServicesConfiguration = await ServicesConfigurationAsync(graph, cancellationToken);

        if (options.Runs("accept"))
        {
            log.WriteLine("accept…");
            await AcceptScenario.RunAsync(context, cancellationToken);
        }
        if (options.Runs("everyone"))
        {
            log.WriteLine("send_everyone…");
            report.SendEveryone = await SendEveryoneScenario.RunAsync(context, cancellationToken);
        }
        // Scale before the single-worker default-latency run: its replicas start together with the
        // one that run keeps, and the others are then only stopped (one start fewer on the clock).
        if (options.Runs("deliver"))
        {
            log.WriteLine("deliver_zero_latency…");
            report.DeliverZeroLatency = await DeliverScenario.ZeroLatencyAsync(context, cancellationToken);
        }
        if (options.Runs("scale"))
        {
            log.WriteLine($"scale ({options.ScaleReplicas} workers)…");
            report.Scale = await DeliverScenario.DefaultLatencyAsync(context, "scale", options.ScaleReplicas, cancellationToken);
        }
        if (options.Runs("deliver"))
        {
            log.WriteLine("deliver_default_latency…");
            report.DeliverDefaultLatency = await DeliverScenario.DefaultLatencyAsync(context, "deliver_default_latency", 1, cancellationToken);
            log.WriteLine("deliver_simulator…");
            report.DeliverSimulator = await DeliverScenario.SimulatorAsync(context, cancellationToken);
        }
        if (options.Runs("deliver"))
        {
            // After the deliveries (their messages sent, receipted, evented), before receipts adds rows of its own.
            report.Storage = new StorageResult(context.RedisBytesPerJob, await StorageFootprint.PostgresAsync(database, cancellationToken));
        }
        if (options.Runs("receipts"))
        {
            log.WriteLine("receipts…");
            report.Receipts = await ReceiptsScenario.RunAsync(context, cancellationToken);
        }
        if (new[] { "accept", "everyone", "deliver", "scale", "receipts" }.Any(options.Runs))
        {
            report.Memory = new MemoryResult(Math.Round(context.Memory.WorkerPeakMb, 1), Math.Round(context.Memory.ApiPeakMb, 1));
        }
        if (options.Runs("reads"))
        {
            log.WriteLine("reads…");
            report.Reads = await ReadsScenario.RunAsync(context, cancellationToken);
        }
    }

    public static async Task WriteAsync(BenchmarkReport report, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, Json, cancellationToken);
    }

    /// <summary>
    /// The API process's own address (from the environment it was started with), so requests skip
    /// the orchestrator's development proxy; the proxied endpoint when that cannot be read.
    /// </summary>
    public static async Task<Uri> ApiAddressAsync(BenchGraph graph, CancellationToken cancellationToken)
    {
        var pid = (await graph.Resources.ProcessIdsAsync("api", 1, cancellationToken)).FirstOrDefault();
        return (pid > 0 ? ReplicaHealth.OwnAddress(pid) : null) ?? graph.App.GetEndpoint("api", "http");
    }

    private static async Task<string> ConnectionStringAsync(BenchGraph graph, string resource, CancellationToken cancellationToken) =>
        await graph.App.GetConnectionStringAsync(resource, cancellationToken)
        ?? throw new InvalidOperationException($"No connection string for {resource}");

    /// <summary>The configuration the services were started in, as the launcher's command line says.</summary>
    private static async Task<string> ServicesConfigurationAsync(BenchGraph graph, CancellationToken cancellationToken)
    {
        var pid = (await graph.Resources.ProcessIdsAsync("api", 1, cancellationToken)).FirstOrDefault();
        var launcher = pid > 0 ? ProcFs.ParentOf(pid) : 0;
        var commandLine = launcher > 0 ? ProcFs.CommandLine(launcher) : "";
        return commandLine.Contains("Release", StringComparison.OrdinalIgnoreCase) ? "Release"
            : commandLine.Contains("Debug", StringComparison.OrdinalIgnoreCase) ? "Debug"
            : "unknown";
    }
}
