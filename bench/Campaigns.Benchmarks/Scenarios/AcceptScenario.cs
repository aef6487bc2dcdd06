using Campaigns.Benchmarks.Api;
using Campaigns.Benchmarks.Floors;
using Campaigns.Benchmarks.Report;
using Campaigns.Core.Queue;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// <c>accept</c>: the time until the 202 of a send to N existing customers, beside one binary COPY of
/// N rows. Runs with no worker started, so the figure is the accept path alone; the campaigns are
/// cancelled afterwards and their jobs dropped from the stream, so no later scenario delivers them.
/// </summary>
public static class AcceptScenario
{
    private const int WarmupRecipients = 500;

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await context.Graph.StopWorkersAsync(cancellationToken);
        var sent = new List<long>();

        // Warm-up: JIT the send path and the COPY path, fill the connection pools.
        var warmup = context.Audience(Math.Min(WarmupRecipients, context.Customers.Length));
        await CopyFloor.MeasureAsync(context.Database, warmup, cancellationToken);
        var (warmupCampaign, _) = await SendAsync(context, warmup, cancellationToken);
        sent.Add(warmupCampaign);

        foreach (var recipients in context.Options.Recipients)
        {
            var audience = context.Audience(recipients);
            var result = await context.MeasureCpuAsync($"accept_{recipients}", async () =>
            {
                var floor = await CopyFloor.MeasureAsync(context.Database, audience, cancellationToken);
                var (campaignId, elapsed) = await SendAsync(context, audience, cancellationToken);
                sent.Add(campaignId);
                return new AcceptResult(recipients, Math.Round(elapsed.TotalMilliseconds, 1), Math.Round(floor.TotalMilliseconds, 1));
            }, cancellationToken);
            context.Report.Accept.Add(result);
            context.Log.WriteLine($"  accept {recipients:N0}: {result.Ms:N0} ms (COPY floor {result.FloorMs:N0} ms)");
        }
        await context.Memory.SampleAsync(cancellationToken);

        foreach (var campaignId in sent)
        {
            await context.Api.CancelAsync(campaignId, cancellationToken);
        }
        await context.Redis.GetDatabase().StreamTrimAsync(CampaignSendsStream.Name, 0).WaitAsync(cancellationToken);
        await context.Database.VacuumAsync(cancellationToken);
    }

    private static async Task<(long CampaignId, TimeSpan Elapsed)> SendAsync(BenchContext context, IReadOnlyList<long> audience,
        CancellationToken cancellationToken)
    {
        var campaignId = await context.Api.CreateCampaignAsync($"bench: accept {audience.Count}", cancellationToken);
        var (queued, elapsed) = await context.Api.SendAsync(campaignId, CampaignsClient.SendBody(audience), cancellationToken);
        if (queued != audience.Count)
        {
            throw new InvalidOperationException($"Send queued {queued} messages for {audience.Count} customers");
        }
        return (campaignId, elapsed);
    }
}
