using Campaigns.Benchmarks.Api;
using Campaigns.Benchmarks.Data;
using Campaigns.Benchmarks.Graph;
using Campaigns.Benchmarks.Measure;
using Campaigns.Benchmarks.Report;
using StackExchange.Redis;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>Everything a scenario needs: the graph, a client of the API, the database, and where results go.</summary>
public sealed class BenchContext : IAsyncDisposable
{
    public required BenchmarkOptions Options { get; init; }

    public required BenchGraph Graph { get; init; }

    private CampaignsClient _api = null!;

    /// <summary>A client of the API process now running (replaced when a scenario restarts the API).</summary>
    public required CampaignsClient Api { get => _api; init => _api = value; }

    public required BenchDatabase Database { get; init; }

    public required IConnectionMultiplexer Redis { get; init; }

    /// <summary>Ids of the customers the benchmark created, in order; audiences are prefixes of it.</summary>
    public required long[] Customers { get; init; }

    public required BenchmarkReport Report { get; init; }

    public required TextWriter Log { get; init; }

    public required CpuMeter Cpu { get; init; }

    public required MemoryPeaks Memory { get; init; }

    public required StatementProfile Statements { get; init; }

    /// <summary>The send stream's bytes per waiting job, as accept found it (null when accept did not run).</summary>
    public double? RedisBytesPerJob { get; set; }

    /// <summary>Restarts the API with an sms frequency cap (0: none) and swaps in a client of the new process.</summary>
    public async Task RestartApiAsync(int smsCapPerDay, CancellationToken cancellationToken)
    {
        await Graph.RestartApiAsync(smsCapPerDay, cancellationToken);
        var old = _api;
        _api = CampaignsClient.Create(await BenchmarkRunner.ApiAddressAsync(Graph, cancellationToken), Graph.ApiKey);
        old.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        // The client of the API process running now (a scenario may have restarted it).
        _api.Dispose();
        await Database.DisposeAsync();
        await Redis.DisposeAsync();
    }

    public IReadOnlyList<long> Audience(int size) =>
        size <= Customers.Length
            ? new ArraySegment<long>(Customers, 0, size)
            : throw new InvalidOperationException($"Only {Customers.Length} customers for an audience of {size}");

    /// <summary>The processes of the system itself (not the harness, not the orchestrator) whose CPU a request costs.</summary>
    private static readonly string[] SystemProcesses = ["postgres", "redis", "api", "worker", "simulator"];

    /// <summary>CPU milliseconds the system's processes spent per request in a step <see cref="MeasureCpuAsync"/> recorded.</summary>
    public double CpuMsPerRequest(string scenario, int requests) =>
        Math.Round(SystemProcesses.Sum(p => Report.CpuSeconds[scenario].GetValueOrDefault(p)) * 1000 / requests, 3);

    /// <summary>Runs one step and records the CPU each part of the graph spent on it, and Postgres's top statements.</summary>
    public async Task<T> MeasureCpuAsync<T>(string scenario, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        await Statements.ResetAsync(cancellationToken);
        var before = await Cpu.ReadAsync(cancellationToken);
        var result = await step();
        Report.CpuSeconds[scenario] = CpuMeter.Between(before, await Cpu.ReadAsync(cancellationToken));
        Report.DatabaseStatements[scenario] = await Statements.ReadAsync(cancellationToken);
        return result;
    }
}
