using System.Net.Http.Json;
using System.Text.Json;
using Campaigns.Benchmarks.Data;
using Campaigns.Benchmarks.Measure;
using Campaigns.Benchmarks.Report;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// <c>reads</c>: latency of GET /campaigns/{id} for a campaign of many messages, and of GET /campaigns
/// (first page, and a cursor page deep in the list) over many campaigns, under concurrent clients; then
/// <see cref="LinksScenario"/> over that campaign's messages.
/// </summary>
public static class ReadsScenario
{
    public static async Task<ReadsResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        context.Log.WriteLine($"  reads: writing a campaign of {options.MessagesPerCampaign:N0} messages and {options.Campaigns:N0} campaigns…");
        var campaignId = await ReadDatasets.CreateDeliveredCampaignAsync(context.Database, options.MessagesPerCampaign, cancellationToken);
        await ReadDatasets.CreateCampaignsAsync(context.Database, options.Campaigns, cancellationToken);
        await context.Database.VacuumAsync(cancellationToken);
        var deepCursor = await DeepCursorAsync(context, cancellationToken);
        var (plans, planText) = await QueryPlans.ExplainAsync(context.Database, campaignId, CursorId(deepCursor), cancellationToken);
        if (!options.Quick)
        {
            context.Log.WriteLine("  reads: query plans\n" + planText);
        }

        Task<(Percentiles Latency, double RequestsPerSecond)> Load(string path)
        {
            // A line per load, so a profiler attached by hand can tell the steps apart.
            context.Log.WriteLine($"  reads: loading GET {path}…");
            return ReadLoad.RunAsync(context.Api.Http, path, options.Clients, options.Requests, options.WarmupRequests, cancellationToken);
        }
        var stats = await context.MeasureCpuAsync("reads_campaign_stats", () => Load($"/campaigns/{campaignId}"), cancellationToken);
        var firstPage = await context.MeasureCpuAsync("reads_list_first_page", () => Load("/campaigns"), cancellationToken);
        var cursorPage = await context.MeasureCpuAsync("reads_list_cursor", () => Load($"/campaigns?cursor={deepCursor}"), cancellationToken);

        var result = new ReadsResult
        {
            CampaignMessages = options.MessagesPerCampaign,
            Campaigns = options.Campaigns,
            Clients = options.Clients,
            Requests = options.Requests,
            CampaignStatsP50Ms = Round(stats.Latency.P50),
            CampaignStatsP95Ms = Round(stats.Latency.P95),
            ListFirstPageP50Ms = Round(firstPage.Latency.P50),
            ListFirstPageP95Ms = Round(firstPage.Latency.P95),
            ListCursorP50Ms = Round(cursorPage.Latency.P50),
            ListCursorP95Ms = Round(cursorPage.Latency.P95),
            CampaignStatsRequestsPerSecond = stats.RequestsPerSecond,
            ListFirstPageRequestsPerSecond = firstPage.RequestsPerSecond,
            ListCursorRequestsPerSecond = cursorPage.RequestsPerSecond,
            DatabaseMs = plans,
            // Warm-up requests run inside the measured step too.
            CampaignStatsCpuMsPerRequest = context.CpuMsPerRequest("reads_campaign_stats", options.Requests + options.WarmupRequests),
            ListFirstPageCpuMsPerRequest = context.CpuMsPerRequest("reads_list_first_page", options.Requests + options.WarmupRequests),
            ListCursorCpuMsPerRequest = context.CpuMsPerRequest("reads_list_cursor", options.Requests + options.WarmupRequests),
        };
        context.Log.WriteLine($"  reads: stats p95 {result.CampaignStatsP95Ms} ms, first page p95 {result.ListFirstPageP95Ms} ms, " +
            $"cursor page p95 {result.ListCursorP95Ms} ms");
        context.Log.WriteLine("  reads: loads done");
        context.Report.Links = await LinksScenario.RunAsync(context, campaignId, cancellationToken);
        return result;
    }

    /// <summary>
    /// A cursor about nine tenths of the way down the list. Page numbers stop at row 10,000 (deeper reads
    /// are what cursors are for), so it is made from the row's id, as the API makes its <c>next_cursor</c>;
    /// one request checks that the API takes it.
    /// </summary>
    private static async Task<string> DeepCursorAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var id = await ReadDatasets.CampaignIdAtDepthAsync(context.Database, context.Options.Campaigns * 9 / 10, cancellationToken);
        var cursor = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"v1:{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var document = await context.Api.Http.GetFromJsonAsync<JsonDocument>($"/campaigns?cursor={cursor}&page_size=100", cancellationToken);
        return document!.RootElement.GetProperty("data").GetArrayLength() > 0
            ? cursor
            : throw new InvalidOperationException($"The deep cursor {cursor} reads no campaigns");
    }

    /// <summary>The row id inside a cursor (base64url of "v1:&lt;id&gt;"), for EXPLAIN only.</summary>
    private static long CursorId(string cursor)
    {
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        var text = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
        return long.Parse(text.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double Round(double milliseconds) => Math.Round(milliseconds, 2);
}
