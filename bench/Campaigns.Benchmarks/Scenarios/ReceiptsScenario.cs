using System.Diagnostics;
using Campaigns.Benchmarks.Api;
using Campaigns.Benchmarks.Data;
using Campaigns.Benchmarks.Floors;
using Campaigns.Benchmarks.Graph;
using Campaigns.Benchmarks.Measure;
using Campaigns.Benchmarks.Report;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// <c>receipts</c>: N messages accepted by Twilio (made so in SQL, through the state machine), then N
/// signed status callbacks (<c>delivered</c>) posted to <c>POST /webhooks/twilio/status</c> by concurrent
/// clients while the running worker applies the inbox. Accepted: N ÷ the time until the last 204; the
/// time from the first post until the campaign's delivered counter reaches N (end to end, which cannot
/// outrun accepted: receipts are applied as they arrive). Each receipt's lag: from its 204 to the moment
/// its message was applied. Applied: the applier's own rate, N receipts for a third campaign stored in
/// the inbox in one statement, N ÷ the time until all are applied. Floor: the batched SQL update of N
/// other accepted messages by provider id (<see cref="ReceiptFloor"/>), on the same database, measured before
/// the warm-up and again right after the applier's drain, the two together: this machine's speed drifts
/// by a third within a minute, and a floor taken on one side of the drain only made the ratio swing with it.
/// </summary>
public static class ReceiptsScenario
{
    // Enough for the webhook's and the applier's hot methods to reach their optimized code (tiered JIT): with 200, the JIT
    // still took about a tenth of the machine's CPU during the measured posts (a profile, session 14).
    private const int WarmupReceipts = 2_000;
    // A backlog for the applier's warm-up: four of its default batches, so that the first is full and its lanes each run
    // a full batch on their connections before the measured drain (a connection's first large batch costs half again).
    private const int WarmupBacklog = 8_000;
    private static readonly TimeSpan TierUpPause = TimeSpan.FromSeconds(2);
    private const string Delivered = "delivered";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task<ReceiptsResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var database = context.Database;
        // The applier runs in the worker: keep one running, with whatever settings it has (and --worker-env's, if given).
        var settings = context.Options.WorkerEnvironment.Count == 0
            ? context.Graph.WorkerSettings
            : context.Graph.WorkerSettings with { Extra = context.Options.WorkerEnvironment };
        await context.Graph.RunWorkersAsync(1, settings, cancellationToken);

        context.Log.WriteLine($"  receipts: writing {options.ReceiptMessages:N0} accepted messages four times (webhook, drain, two floors)…");
        var audience = context.Audience(options.ReceiptMessages);
        var warmup = await SentMessages.CreateAsync(database, "bench: receipts warm-up",
            context.Audience(Math.Min(WarmupReceipts, context.Customers.Length)), cancellationToken);
        var warmupBacklog = await SentMessages.CreateAsync(database, "bench: receipts warm-up backlog",
            context.Audience(Math.Min(WarmupBacklog, context.Customers.Length)), cancellationToken);
        var floorCampaign = await SentMessages.CreateAsync(database, "floor: receipts", audience, cancellationToken);
        var measured = await SentMessages.CreateAsync(database, "bench: receipts", audience, cancellationToken);
        var drainCampaign = await SentMessages.CreateAsync(database, "bench: receipts drain", audience, cancellationToken);
        var floorAfterCampaign = await SentMessages.CreateAsync(database, "floor: receipts after", audience, cancellationToken);
        await database.VacuumAsync(cancellationToken);

        var publicBaseUrl = await context.Graph.WebhooksPublicBaseUrlAsync(cancellationToken);
        TwilioStatusCallbacks.Callback[] Prepare(IEnumerable<SentMessages.Message> messages) =>
            TwilioStatusCallbacks.Prepare(messages, Delivered, publicBaseUrl, WebhookCredentials.TwilioAccountSid,
                context.Graph.Webhooks.TwilioAuthToken);
        using var callbacks = TwilioStatusCallbacks.Create(context.Api.Http.BaseAddress!, options.ReceiptClients);
        var timeout = TimeSpan.FromSeconds(Math.Max(120, options.ReceiptMessages / 100.0));

        // The floor before the warm-up: after it, the API recompiles what the warm-up made hot (tiered JIT) for about a
        // second, and that CPU, taken from Postgres on two cores, made the floor swing between 20,000 and 51,000/s.
        var floorBefore = await context.MeasureCpuAsync("receipts_floor",
            () => ReceiptFloor.MeasureAsync(database, floorCampaign.Messages, cancellationToken), cancellationToken);

        // Warm-up: JIT the webhook and the applier, open the clients' connections; then a backlog for the applier's lanes.
        await callbacks.PostAsync(Prepare(warmup.Messages), options.ReceiptClients, cancellationToken);
        await ReceiptProgress.WaitUntilDeliveredAsync(database, warmup.CampaignId, warmup.Messages.Count, PollInterval, timeout,
            cancellationToken);
        await ReceiptInbox.StoreDeliveredAsync(database, warmupBacklog.Messages, cancellationToken);
        await ReceiptProgress.WaitUntilDeliveredAsync(database, warmupBacklog.CampaignId, warmupBacklog.Messages.Count, PollInterval,
            timeout, cancellationToken);
        // The JIT optimizes what the warm-up made hot in the background, after a quiet moment.
        await Task.Delay(TierUpPause, cancellationToken);

        var prepared = Prepare(measured.Messages);
        var (answeredAt, accepted, applied) = await context.MeasureCpuAsync("receipts", async () =>
        {
            var started = Stopwatch.GetTimestamp();
            var appliedTask = WaitAsync(database, measured.CampaignId, prepared.Length, started, timeout, cancellationToken);
            var answered = await callbacks.PostAsync(prepared, options.ReceiptClients, cancellationToken);
            var acceptedIn = Stopwatch.GetElapsedTime(started);
            return (answered, acceptedIn, await appliedTask);
        }, cancellationToken);
        await context.Memory.SampleAsync(cancellationToken);

        var (sent, deliveredCount) = await ReceiptProgress.CountsAsync(database, measured.CampaignId, cancellationToken);
        if (sent != 0 || deliveredCount != prepared.Length)
        {
            throw new InvalidOperationException(
                $"receipts: campaign {measured.CampaignId} counts {deliveredCount} delivered and {sent} sent for {prepared.Length} receipts");
        }
        var lags = await LagsAsync(database, measured.CampaignId, measured.Messages, answeredAt, cancellationToken);

        var drain = await context.MeasureCpuAsync("receipts_drain", async () =>
        {
            await ReceiptInbox.StoreDeliveredAsync(database, drainCampaign.Messages, cancellationToken);
            var stored = Stopwatch.GetTimestamp();
            return await WaitAsync(database, drainCampaign.CampaignId, drainCampaign.Messages.Count, stored, timeout, cancellationToken);
        }, cancellationToken);

        var floorAfter = await ReceiptFloor.MeasureAsync(database, floorAfterCampaign.Messages, cancellationToken);
        // Both floors' receipts over both floors' time.
        var floor = 2 / (1 / floorBefore + 1 / floorAfter);

        var result = new ReceiptsResult
        {
            Messages = prepared.Length,
            Clients = options.ReceiptClients,
            PerSecond = Math.Round(prepared.Length / accepted.TotalSeconds, 0),
            AcceptedSeconds = Math.Round(accepted.TotalSeconds, 2),
            AppliedPerSecond = Math.Round(drainCampaign.Messages.Count / drain.TotalSeconds, 0),
            AppliedSeconds = Math.Round(applied.TotalSeconds, 2),
            EndToEndPerSecond = Math.Round(prepared.Length / applied.TotalSeconds, 0),
            FloorPerSecond = Math.Round(floor, 0),
            FloorBeforePerSecond = Math.Round(floorBefore, 0),
            FloorAfterPerSecond = Math.Round(floorAfter, 0),
            AppliedP50Ms = Math.Round(lags.P50, 1),
            AppliedP95Ms = Math.Round(lags.P95, 1),
            AppliedMaxMs = Math.Round(lags.Max, 1),
        };
        context.Log.WriteLine($"  receipts {result.Messages:N0} ({result.Clients} clients): accepted {result.PerSecond:N0}/s, " +
            $"all applied {result.AppliedSeconds:N2} s after the first post ({result.EndToEndPerSecond:N0}/s), " +
            $"lag p50 {result.AppliedP50Ms} / p95 {result.AppliedP95Ms} ms; applier {result.AppliedPerSecond:N0}/s; " +
            $"floor {result.FloorPerSecond:N0}/s ({result.FloorBeforePerSecond:N0} before, {result.FloorAfterPerSecond:N0} after)");

        foreach (var campaignId in new[]
                 { warmup.CampaignId, warmupBacklog.CampaignId, floorCampaign.CampaignId, measured.CampaignId, drainCampaign.CampaignId, floorAfterCampaign.CampaignId })
        {
            await database.DropCampaignAsync(campaignId, cancellationToken);
        }
        return result;
    }

    /// <summary>Time from <paramref name="started"/> until every receipt is applied (the delivered counter polled).</summary>
    private static async Task<TimeSpan> WaitAsync(BenchDatabase database, long campaignId, int expected, long started, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        await ReceiptProgress.WaitUntilDeliveredAsync(database, campaignId, expected, PollInterval, timeout, cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Each receipt's lag from its 204 to its message's application; never below zero (the applier may
    /// have taken it between the commit and the answer's arrival).
    /// </summary>
    private static async Task<Percentiles> LagsAsync(BenchDatabase database, long campaignId, IReadOnlyList<SentMessages.Message> messages,
        DateTime[] answeredAt, CancellationToken cancellationToken)
    {
        var appliedAt = await ReceiptProgress.AppliedAtAsync(database, campaignId, cancellationToken);
        return Percentiles.Of(messages.Select((message, i) =>
            Math.Max(0, (appliedAt[message.ProviderMessageId] - answeredAt[i]).TotalMilliseconds)).ToArray());
    }
}
