using Campaigns.Benchmarks.Api;
using Campaigns.Benchmarks.Data;
using Campaigns.Benchmarks.Graph;
using Campaigns.Benchmarks.Measure;
using Campaigns.Benchmarks.Report;
using StackExchange.Redis;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>Everything a scenario needs: the graph, a client of the API, the database, and where results go.</summary>
public sealed class BenchContext
{
    public required BenchmarkOptions Options { get; init; }

    public required BenchGraph Graph { get; init; }

    public required CampaignsClient Api { get; init; }

    public required BenchDatabase Database { get; init; }

    public required IConnectionMultiplexer Redis { get; init; }

    /// <summary>Ids of the customers the benchmark created, in order; audiences are prefixes of it.</summary>
    public required long[] Customers { get; init; }

    public required BenchmarkReport Report { get; init; }

    public required TextWriter Log { get; init; }

    public required CpuMeter Cpu { get; init; }

    public required MemoryPeaks Memory { get; init; }

    public required StatementProfile Statements { get; init; }

    public IReadOnlyList<long> Audience(int size) =>
        size <= Customers.Length
            ? new ArraySegment<long>(Customers, 0, size)
            : throw new InvalidOperationException($"Only {Customers.Length} customers for an audience of {size}");

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
