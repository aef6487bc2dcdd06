using System.Diagnostics;
using Aspire.Hosting.Testing;
using Campaigns.AppHost.Providers;
using Campaigns.Benchmarks.Api;
using Campaigns.Benchmarks.Floors;
using Campaigns.Benchmarks.Graph;
using Campaigns.Benchmarks.Report;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// A campaign delivered by the running workers, timed from the 202 of its send until it is <c>sent</c>
/// (GET /campaigns/{id} polled every 50 ms): <c>deliver_zero_latency</c>, <c>deliver_default_latency</c>,
/// <c>deliver_simulator</c> and <c>scale</c> differ only in the workers' settings and replicas.
/// </summary>
public static class DeliverScenario
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Zero latency, 100% success, one worker: the pipeline's own cost, beside the raw-SQL floor.</summary>
    public static async Task<DeliveryResult> ZeroLatencyAsync(BenchContext context, CancellationToken cancellationToken)
    {
        // The floor first, with no worker running: a worker's completion sweep or retry driver would
        // otherwise act on the floor's campaign and messages.
        await context.Graph.StopWorkersAsync(cancellationToken);
        var audience = context.Audience(context.Options.DeliverMessages);
        var floor = await context.MeasureCpuAsync("deliver_zero_latency_floor",
            () => DeliveryFloor.MeasureAsync(context.Database, audience, cancellationToken), cancellationToken);
        var settings = WorkerSettings.ZeroLatency(context.Options.Concurrency) with { Extra = context.Options.WorkerEnvironment };
        await StartWarmWorkersAsync(context, settings, 1, cancellationToken);
        var (result, _) = await DeliverAsync(context, "deliver_zero_latency", settings, 1, cancellationToken);
        return result with { FloorPerSecond = Math.Round(floor, 0) };
    }

    /// <summary>The default mock provider (50–200 ms, 92% success) at the given concurrency, on <paramref name="replicas"/> workers.</summary>
    public static async Task<DeliveryResult> DefaultLatencyAsync(BenchContext context, string scenario, int replicas,
        CancellationToken cancellationToken) =>
        (await AtLatencyAsync(context, scenario, WorkerSettings.DefaultLatency(context.Options.Concurrency), replicas,
            cancellationToken)).Result;

    /// <summary>
    /// Through the provider simulator at its defaults (50–200 ms, every send accepted) by the AppHost's sms
    /// chain, on one worker, measured and judged as <c>deliver_default_latency</c>. The simulator holds its
    /// receipts while the campaign is sent (a provider's receipts come seconds to minutes later, and on
    /// this machine their webhooks would share the two cores with the sending being timed), then releases
    /// them: the time until the last is applied, their number and rate, and what they decided are reported.
    /// </summary>
    public static async Task<DeliveryResult> SimulatorAsync(BenchContext context, CancellationToken cancellationToken)
    {
        using var simulator = SimulatorReceipts.Create(context.Graph.App.GetEndpoint(SimulatedProviders.ResourceName, "http"));
        var settings = WorkerSettings.Simulator(context.Options.Concurrency) with { Extra = context.Options.WorkerEnvironment };
        // The warm-up's receipts are applied before the hold, so the ones released later are the measured campaign's.
        await StartWarmWorkersAsync(context, settings, 1, cancellationToken);
        await SimulatorReceiptDrain.WaitAsync(context, simulator, WarmUpMessages(context), cancellationToken);
        await simulator.HoldAsync(true, cancellationToken);
        var postedBefore = (await simulator.ReadAsync(cancellationToken)).Posted;
        var (result, campaignId) = await MeasureAtLatencyAsync(context, "deliver_simulator", settings, 1, cancellationToken);

        await simulator.HoldAsync(false, cancellationToken);
        var drained = await context.MeasureCpuAsync("deliver_simulator_receipts",
            () => SimulatorReceiptDrain.WaitAsync(context, simulator, result.Messages, cancellationToken), cancellationToken);
        var posted = (await simulator.ReadAsync(cancellationToken)).Posted - postedBefore;
        var campaign = await context.Api.GetCampaignAsync(campaignId, cancellationToken);
        context.Log.WriteLine($"  deliver_simulator: {posted:N0} receipts applied {drained.TotalSeconds:N1} s after their release " +
            $"({posted / drained.TotalSeconds:N0}/s): {campaign.Stats.Delivered:N0} delivered, " +
            $"{campaign.Stats.Undelivered:N0} undelivered, {campaign.Stats.Sent:N0} without a final receipt");
        return result with
        {
            Delivered = campaign.Stats.Delivered,
            Undelivered = campaign.Stats.Undelivered,
            ReceiptsDrainedSeconds = Math.Round(drained.TotalSeconds, 2),
            ReceiptsPosted = posted,
            ReceiptsPerSecond = Math.Round(posted / drained.TotalSeconds, 0),
        };
    }

    private static async Task<(DeliveryResult Result, long CampaignId)> AtLatencyAsync(BenchContext context, string scenario,
        WorkerSettings settings, int replicas, CancellationToken cancellationToken)
    {
        settings = settings with { Extra = context.Options.WorkerEnvironment };
        await StartWarmWorkersAsync(context, settings, replicas, cancellationToken);
        return await MeasureAtLatencyAsync(context, scenario, settings, replicas, cancellationToken);
    }

    /// <summary>The measured send on workers already started (<see cref="StartWarmWorkersAsync"/>), with its ideal.</summary>
    private static async Task<(DeliveryResult Result, long CampaignId)> MeasureAtLatencyAsync(BenchContext context, string scenario,
        WorkerSettings settings, int replicas, CancellationToken cancellationToken)
    {
        var (result, campaignId) = await DeliverAsync(context, scenario, settings, replicas, cancellationToken);
        return (result with
        {
            IdealPerSecond = Math.Round(settings.IdealPerSecondFor(result.Messages, replicas), 0),
            IdealRetryTailSeconds = Math.Round(settings.MinimumRetryTailSeconds, 2),
        }, campaignId);
    }

    /// <summary>
    /// Starts the workers with the scenario's settings and warms them with a small campaign of their own: a fresh worker
    /// compiles its hot paths during its first sends (the JIT was a quarter of the worker's CPU in a 100,000-message
    /// run, session 12's profile), which a worker that has been running for a while never pays again.
    /// </summary>
    private static async Task StartWarmWorkersAsync(BenchContext context, WorkerSettings settings, int replicas,
        CancellationToken cancellationToken)
    {
        await context.Graph.RunWorkersAsync(replicas, settings, cancellationToken);
        var workers = await WorkerCheck.EnsureAsync(context.Graph, replicas, settings, cancellationToken);
        context.Log.WriteLine($"  workers: {string.Join(", ", workers.Select(pid => $"pid {pid}"))} " +
            $"({(settings.Simulated ? "provider simulator" : "mock")}, latency {settings.MinLatencyMs}–{settings.MaxLatencyMs} ms, " +
            $"success {settings.SuccessRate:P0}, concurrency {settings.Concurrency}), warmed by {WarmUpMessages(context):N0} messages");
        var campaignId = await context.Api.CreateCampaignAsync("bench: warm-up", cancellationToken);
        await context.Api.SendAsync(campaignId, CampaignsClient.SendBody(context.Audience(WarmUpMessages(context))), cancellationToken);
        await context.Api.WaitUntilFinishedAsync(campaignId, PollInterval, TimeSpan.FromMinutes(2), cancellationToken);
    }

    /// <summary>5,000 in a full run; a tenth of the measured campaign in a quick one.</summary>
    private static int WarmUpMessages(BenchContext context) => Math.Min(5_000, context.Options.DeliverMessages / 10);

    private static async Task<(DeliveryResult Result, long CampaignId)> DeliverAsync(BenchContext context, string scenario, WorkerSettings settings,
        int replicas, CancellationToken cancellationToken)
    {
        var audience = context.Audience(context.Options.DeliverMessages);
        // The dead rows of the scenarios before and of the warm-up vacuumed first, as pgbench does before its runs: an
        // autovacuum of them that starts during the measured send takes one of the two cores from it.
        await context.Database.VacuumAsync(cancellationToken);
        var campaignId = await context.Api.CreateCampaignAsync($"bench: {scenario}", cancellationToken);
        var body = CampaignsClient.SendBody(audience);
        var timeout = TimeSpan.FromSeconds(Math.Max(120, audience.Count / 200.0));

        var (finished, elapsed) = await context.MeasureCpuAsync(scenario, async () =>
        {
            var (queued, _) = await context.Api.SendAsync(campaignId, body, cancellationToken);
            var accepted = Stopwatch.GetTimestamp();
            var campaign = await context.Api.WaitUntilFinishedAsync(campaignId, PollInterval, timeout, cancellationToken);
            return (campaign, Stopwatch.GetElapsedTime(accepted));
        }, cancellationToken);
        await context.Memory.SampleAsync(cancellationToken);

        if (finished.Status != "sent" || finished.Stats.Accepted + finished.Stats.Failed != audience.Count)
        {
            throw new InvalidOperationException(
                $"{scenario}: campaign {campaignId} ended {finished.Status} with {finished.Stats} for {audience.Count} messages");
        }
        var result = new DeliveryResult
        {
            Messages = audience.Count,
            Seconds = Math.Round(elapsed.TotalSeconds, 2),
            PerSecond = Math.Round(audience.Count / elapsed.TotalSeconds, 0),
            Concurrency = settings.Concurrency,
            Replicas = replicas,
            Sent = finished.Stats.Accepted,
            Failed = finished.Stats.Failed,
        };
        context.Log.WriteLine($"  {scenario}: {result.Messages:N0} messages in {result.Seconds:N1} s = {result.PerSecond:N0}/s " +
            $"({result.Sent:N0} sent, {result.Failed:N0} failed)");
        return (result, campaignId);
    }
}
