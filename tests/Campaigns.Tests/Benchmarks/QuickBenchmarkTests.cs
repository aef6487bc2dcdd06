using System.Text.Json;
using Campaigns.Benchmarks;

namespace Campaigns.Tests.Benchmarks;

/// <summary>
/// Runs the benchmark harness in its quick mode, on a graph of its own, so the harness never rots:
/// every figure of bench/results/latest.json must be there and positive. The numbers themselves are
/// not judged here (a Debug build on a shared machine); <c>eng/bench.sh</c> is for that.
/// </summary>
[Collection(nameof(BenchmarkCollection))]
public sealed class QuickBenchmarkTests
{
    private static readonly string[] RequiredNumbers =
    [
        "deliver_zero_latency.per_second",
        "deliver_zero_latency.floor_per_second",
        "deliver_default_latency.per_second",
        "deliver_default_latency.ideal_per_second",
        "deliver_default_latency.concurrency",
        "deliver_simulator.per_second",
        "deliver_simulator.ideal_per_second",
        "receipts.per_second",
        "receipts.applied_per_second",
        "receipts.floor_per_second",
        "receipts.floor_before_per_second",
        "receipts.floor_after_per_second",
        "receipts.applied_p95_ms",
        "memory.worker_peak_mb",
        "storage.redis_bytes_per_job",
        "memory.api_peak_mb",
        "reads.campaign_stats_p50_ms",
        "reads.campaign_stats_p95_ms",
        "reads.list_first_page_p50_ms",
        "reads.list_first_page_p95_ms",
        "reads.list_cursor_p50_ms",
        "reads.list_cursor_p95_ms",
        "scale.per_second",
        "scale.replicas",
        "machine.cores",
    ];

    // The graph, three rounds of workers, the provider simulator's delivery and its receipts: minutes on a busy machine.
    [Fact(Timeout = 600_000)]
    public async Task Quick_run_writes_every_figure_as_a_positive_number()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Path.Combine(Path.GetTempPath(), $"campaigns-bench-{Guid.NewGuid():N}.json");
        var log = new StringWriter();
        try
        {
            var options = BenchmarkOptions.Parse(["--quick", "--output", output]);
            var report = await BenchmarkRunner.RunAsync(options, new ElapsedLog(log), ct);
            await BenchmarkRunner.WriteAsync(report, output, ct);

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output, ct));
            var root = json.RootElement;
            var accept = root.GetProperty("accept").EnumerateArray().ToList();
            Assert.Equal(options.Recipients.Count, accept.Count);
            foreach (var size in accept)
            {
                Assert.True(size.GetProperty("recipients").GetInt32() > 0);
                Assert.True(size.GetProperty("ms").GetDouble() > 0);
                Assert.True(size.GetProperty("floor_ms").GetDouble() > 0);
                Assert.True(size.GetProperty("windowed_capped_ms").GetDouble() > 0);
                Assert.True(size.GetProperty("windowed_capped_ratio").GetDouble() > 0);
            }
            foreach (var path in RequiredNumbers)
            {
                var value = path.Split('.').Aggregate(root, (element, name) => element.GetProperty(name));
                Assert.True(value.GetDouble() > 0, $"{path} is {value}");
            }
            var messages = root.GetProperty("storage").GetProperty("tables").EnumerateArray()
                .Single(table => table.GetProperty("table").GetString() == "outbound_messages");
            Assert.True(messages.GetProperty("bytes_per_row").GetDouble() > 0, $"outbound_messages: {messages}");
            Assert.InRange(messages.GetProperty("live_bytes_per_row").GetDouble(), 1, messages.GetProperty("bytes_per_row").GetDouble());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("timestamp").GetString()));
        }
        finally
        {
            TestContext.Current.TestOutputHelper?.WriteLine(log.ToString());
            File.Delete(output);
        }
    }
}

/// <summary>The benchmark loads the machine on purpose: it runs alone, never beside other collections.</summary>
[CollectionDefinition(nameof(BenchmarkCollection), DisableParallelization = true)]
public sealed class BenchmarkCollection;
