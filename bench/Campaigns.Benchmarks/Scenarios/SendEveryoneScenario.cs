using System.Text;
using Campaigns.Benchmarks.Processes;
using Campaigns.Benchmarks.Report;
using Campaigns.Core.Queue;

namespace Campaigns.Benchmarks.Scenarios;

/// <summary>
/// <c>send_everyone</c>: <c>POST /campaigns/{id}/send</c> with <c>{"audience": {}}</c> to every customer of
/// the run (1,000,000 at full size), and the API's resident memory while it runs: the peak is reset just
/// before the send, so it is this request's alone. No worker runs; the campaign is deleted and its jobs
/// dropped afterwards, so no later scenario delivers them.
/// </summary>
public static class SendEveryoneScenario
{
    private static readonly byte[] Everyone = Encoding.UTF8.GetBytes("""{"audience":{}}""");

    public static async Task<SendEveryoneResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await context.Graph.StopWorkersAsync(cancellationToken);
        // The run-wide peak first: the reset below starts the API's high-water mark afresh.
        await context.Memory.SampleAsync(cancellationToken);
        var api = (await context.Graph.Resources.ProcessIdsAsync("api", 1, cancellationToken)).Single();
        var campaignId = await context.Api.CreateCampaignAsync("bench: send to everyone", cancellationToken);

        var result = await context.MeasureCpuAsync("send_everyone", async () =>
        {
            var before = ProcFs.RssMb(api);
            ProcFs.ResetPeakRss(api);
            var (queued, elapsed) = await context.Api.SendAsync(campaignId, Everyone, cancellationToken);
            return new SendEveryoneResult(queued, Math.Round(elapsed.TotalMilliseconds, 1), Math.Round(before, 1),
                Math.Round(ProcFs.PeakRssMb(api), 1));
        }, cancellationToken);
        await context.Memory.SampleAsync(cancellationToken);
        context.Log.WriteLine($"  send_everyone {result.Recipients:N0}: {result.Ms:N0} ms, API RSS {result.ApiRssBeforeMb:N0} MB → peak {result.ApiPeakRssMb:N0} MB");

        // Deleted rather than cancelled: cancelling a million messages can outlast the API's command timeout on a busy machine.
        await context.Redis.GetDatabase().StreamTrimAsync(CampaignSendsStream.Name, 0).WaitAsync(cancellationToken);
        await context.Database.DropCampaignAsync(campaignId, cancellationToken);
        return result;
    }
}
