using System.Net.Http.Json;

namespace Campaigns.Benchmarks.Api;

/// <summary>
/// The provider simulator's receipts (<c>/control/receipts</c>): how many of those it decided are still
/// waiting to be posted, posted, and refused, given up or dropped; and holding them back.
/// </summary>
public sealed class SimulatorReceipts(HttpClient http) : IDisposable
{
    public sealed record Counters(int Pending, long Posted, long Retried, long Refused, long Abandoned, long Dropped)
    {
        /// <summary>Receipts the API never took: refused (a bad signature, say), given up or never queued.</summary>
        public long Lost => Refused + Abandoned + Dropped;
    }

    public static SimulatorReceipts Create(Uri simulatorAddress) =>
        new(new HttpClient { BaseAddress = simulatorAddress, Timeout = TimeSpan.FromSeconds(30) });

    public async Task<Counters> ReadAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<Counters>("/control/receipts", CampaignsClient.Json, cancellationToken))!;

    /// <summary>While held the simulator posts no receipt; released, those gathered go out as they fall due.</summary>
    public async Task HoldAsync(bool held, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync("/control/receipts/hold", new { held }, CampaignsClient.Json, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => http.Dispose();
}
