using System.Diagnostics;
using System.Net;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Recovery;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// An idle graph leaves the dashboard quiet: no trace per maintenance tick or health probe (the issue's
/// bound is at most one root trace a minute), and no connection chatter from the Redis and Postgres
/// clients below Warning. Its own graph and sink, so nothing else runs in the window; in the drills'
/// collection, so it runs alone.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class QuietWhenIdleTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(30);
    private static readonly string[] ChattyLibraries = ["StackExchange.Redis", "Npgsql"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_idle_graph_opens_at_most_one_trace_and_logs_no_library_chatter()
    {
        await using var sink = await OtlpSink.StartAsync(Ct, keepLogs: true);
        await using var graph = await CampaignsGraph.StartAsync(sink.ExportFrom, Ct);

        // Start-up (migrations, first connections) is not idleness: the window opens after it.
        await Task.Delay(Settle, Ct);
        var windowStart = DateTimeOffset.UtcNow;
        await Task.Delay(IdleWindow, Ct);
        var windowEnd = DateTimeOffset.UtcNow;

        // One request of our own after the window, seen by the sink: the services do export spans (and
        // every export of a span started in the window, batched before it, has arrived).
        await AssertExportsAsync(graph, sink);

        var roots = OtlpSink.Services
            .SelectMany(service => sink.Spans(service)
                .Where(s => s.IsRoot && s.Start >= windowStart && s.Start < windowEnd)
                .Select(s => $"{service}: {s.Scope} '{s.Name}'"))
            .ToList();
        var chatter = OtlpSink.Services.ToDictionary(service => service, service => sink.Logs(service));
        Assert.Multiple(
            () => Assert.True(roots.Count <= 1,
                $"{roots.Count} root traces in {IdleWindow.TotalSeconds:F0} s of idleness: " +
                string.Join(", ", roots.CountBy(r => r).Select(r => $"{r.Key} ×{r.Value}"))),
            () => AssertNoLibraryChatter("api", chatter["api"]),
            () => AssertNoLibraryChatter("worker", chatter["worker"]));
    }

    private static void AssertNoLibraryChatter(string service, IReadOnlyList<OtlpRecords.LogRecord> logs)
    {
        Assert.NotEmpty(logs);
        var chatter = logs
            .Where(l => l.Severity < OtlpRecords.WarningSeverity && ChattyLibraries.Any(l.Category.StartsWith))
            .Select(l => $"{l.Category}: {l.Body}")
            .ToList();
        Assert.True(chatter.Count == 0,
            $"{service} logged {chatter.Count} library records below Warning, e.g. {string.Join(" | ", chatter.Take(3))}");
    }

    private static async Task AssertExportsAsync(CampaignsGraph graph, OtlpSink sink)
    {
        using var api = graph.CreateClient();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/campaigns");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await api.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!sink.HasTrace("api", traceId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }
        Assert.True(sink.HasTrace("api", traceId), $"api exported no span of a request ({sink.Summary()})");
    }
}
