using Campaigns.Benchmarks.Api;
using Campaigns.Benchmarks.Floors;
using Campaigns.Benchmarks.Measure;
using Campaigns.Benchmarks.Report;
using Campaigns.Core.Queue;
using Dapper;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// <c>accept</c>: the time until the 202 of a send to N existing customers, beside one binary COPY of
/// N rows. Runs with no worker started, so the figure is the accept path alone; the campaigns are
/// cancelled afterwards and their jobs dropped from the stream, so no later scenario delivers them.
/// </summary>
/// <remarks>
/// Its <c>windowed_capped</c> variant (issue 15) comes first: the same sends to campaigns with a send window
/// open for every recipient (nothing is deferred: the figure is what the window rules and the frequency cap
/// cost a send that goes out at once), from the API as the graph started it, with
/// <c>Compliance:Sms:MaxPerCustomerPerDay</c> = <see cref="SmsCapPerDay"/> (an API-wide setting, read at start;
/// no recipient reaches it, so nobody is skipped). The API is then restarted without the cap, and the plain
/// sends are measured as before, on the process every later scenario uses.
/// </remarks>
public static class AcceptScenario
{
    /// <summary>The sms frequency cap of the windowed_capped sends: above the 2 messages any recipient has by then.</summary>
    public const int SmsCapPerDay = 5;

    private const int WarmupRecipients = 500;

    // Open all day, every day, in each recipient's zone (the bench's customers have none: UTC); closed only
    // in the day's last minute, which the scenario waits out.
    private static readonly object OpenWindow = new { start = "00:00", end = "23:59" };

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await context.Graph.StopWorkersAsync(cancellationToken);
        var sent = new List<long>();
        var warmup = context.Audience(Math.Min(WarmupRecipients, context.Customers.Length));

        var windowedCapped = new Dictionary<int, double>();
        if (context.Graph.ApiSmsCapPerDay != SmsCapPerDay)
        {
            await context.RestartApiAsync(SmsCapPerDay, cancellationToken);
        }
        await WaitOutClosedMinuteAsync(context, cancellationToken);
        var (warmupWindowed, _) = await SendAsync(context, warmup, OpenWindow, cancellationToken);
        sent.Add(warmupWindowed);
        foreach (var recipients in context.Options.Recipients)
        {
            var audience = context.Audience(recipients);
            var ms = await context.MeasureCpuAsync($"accept_windowed_capped_{recipients}", async () =>
            {
                var (campaignId, elapsed) = await SendAsync(context, audience, OpenWindow, cancellationToken);
                sent.Add(campaignId);
                return Math.Round(elapsed.TotalMilliseconds, 1);
            }, cancellationToken);
            windowedCapped[recipients] = ms;
            context.Log.WriteLine($"  accept {recipients:N0} with window + cap: {ms:N0} ms");
        }
        await context.Memory.SampleAsync(cancellationToken);
        await context.RestartApiAsync(0, cancellationToken);

        // Warm-up: JIT the send path and the COPY path, fill the connection pools.
        await CopyFloor.MeasureAsync(context.Database, warmup, cancellationToken);
        var (warmupCampaign, _) = await SendAsync(context, warmup, null, cancellationToken);
        sent.Add(warmupCampaign);

        foreach (var recipients in context.Options.Recipients)
        {
            var audience = context.Audience(recipients);
            var result = await context.MeasureCpuAsync($"accept_{recipients}", async () =>
            {
                var floor = await CopyFloor.MeasureAsync(context.Database, audience, cancellationToken);
                var (campaignId, elapsed) = await SendAsync(context, audience, null, cancellationToken);
                sent.Add(campaignId);
                return new AcceptResult(recipients, Math.Round(elapsed.TotalMilliseconds, 1), Math.Round(floor.TotalMilliseconds, 1))
                {
                    WindowedCappedMs = windowedCapped.TryGetValue(recipients, out var windowed) ? windowed : null,
                };
            }, cancellationToken);
            context.Report.Accept.Add(result);
            context.Log.WriteLine($"  accept {recipients:N0}: {result.Ms:N0} ms (COPY floor {result.FloorMs:N0} ms; " +
                                  $"with window + cap {result.WindowedCappedRatio:0.00}×)");
        }
        await MeasureMixedAsync(context, sent, cancellationToken);
        await context.Memory.SampleAsync(cancellationToken);

        // Every job of these sends still waits in the stream: what one costs Redis.
        context.RedisBytesPerJob = await StorageFootprint.RedisBytesPerJobAsync(context.Redis, cancellationToken);
        foreach (var campaignId in sent)
        {
            await context.Api.CancelAsync(campaignId, cancellationToken);
        }
        await context.Redis.GetDatabase().StreamTrimAsync(CampaignSendsStream.Name, 0).WaitAsync(cancellationToken);
        await context.Database.VacuumAsync(cancellationToken);
    }

    /// <summary>
    /// The mixed sends (issue 16): each size again, to a campaign of <see cref="MixedContent"/> (variants, translations,
    /// link tracking), on the plain sends' API; a third of the customers read French, the others the Swahili their
    /// Kenyan numbers give, so both translations are used.
    /// </summary>
    private static async Task MeasureMixedAsync(BenchContext context, List<long> sent, CancellationToken cancellationToken)
    {
        await using (var connection = await context.Database.DataSource.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE customers SET language = CASE WHEN id % 3 = 0 THEN 'fr' END WHERE last_name = 'Bench'",
                commandTimeout: 600, cancellationToken: cancellationToken));
        }
        var (warmupMixed, _) = await SendAsync(context, context.Audience(Math.Min(WarmupRecipients, context.Customers.Length)), null,
            cancellationToken, MixedContent.Members);
        sent.Add(warmupMixed);
        for (var i = 0; i < context.Report.Accept.Count; i++)
        {
            var plain = context.Report.Accept[i];
            var audience = context.Audience(plain.Recipients);
            var ms = await context.MeasureCpuAsync($"accept_mixed_{plain.Recipients}", async () =>
            {
                var (campaignId, elapsed) = await SendAsync(context, audience, null, cancellationToken, MixedContent.Members);
                sent.Add(campaignId);
                return Math.Round(elapsed.TotalMilliseconds, 1);
            }, cancellationToken);
            context.Report.Accept[i] = plain with { MixedMs = ms };
            context.Log.WriteLine($"  accept {plain.Recipients:N0} with 3 variants, 2 translations, tracked links: {ms:N0} ms " +
                                  $"({context.Report.Accept[i].MixedRatio:0.00}× plain)");
        }
    }

    private static async Task<(long CampaignId, TimeSpan Elapsed)> SendAsync(BenchContext context, IReadOnlyList<long> audience,
        object? sendWindow, CancellationToken cancellationToken, IReadOnlyDictionary<string, object>? content = null)
    {
        var name = content is not null ? $"bench: accept {audience.Count} mixed"
            : sendWindow is null ? $"bench: accept {audience.Count}" : $"bench: accept {audience.Count} with window + cap";
        var campaignId = await context.Api.CreateCampaignAsync(name, cancellationToken, sendWindow, content);
        var (queued, elapsed) = await context.Api.SendAsync(campaignId, CampaignsClient.SendBody(audience), cancellationToken);
        if (queued != audience.Count)
        {
            throw new InvalidOperationException($"Send queued {queued} messages for {audience.Count} customers");
        }
        if (sendWindow is not null)
        {
            await using var connection = await context.Database.DataSource.OpenConnectionAsync(cancellationToken);
            var waiting = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM outbound_messages WHERE campaign_id = @campaignId AND not_before IS NOT NULL",
                new { campaignId }, cancellationToken: cancellationToken));
            if (waiting > 0)
            {
                throw new InvalidOperationException($"The window deferred {waiting} of {audience.Count} messages: it should be open for all");
            }
        }
        return (campaignId, elapsed);
    }

    /// <summary>The window closes at 23:59 UTC for a minute: a send then would defer everyone.</summary>
    private static async Task WaitOutClosedMinuteAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var untilMidnight = DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
        if (untilMidnight < TimeSpan.FromMinutes(3))
        {
            context.Log.WriteLine($"  waiting {untilMidnight.TotalSeconds:N0} s for 00:00 UTC (the window's closed minute)");
            await Task.Delay(untilMidnight + TimeSpan.FromSeconds(5), cancellationToken);
        }
    }
}
