using Aspire.Hosting.Testing;
using Campaigns.Tests.Delivery;

namespace Campaigns.Tests.Variants;

/// <summary>
/// The full A/B run of <see cref="AbTestRun"/> (sample, decision on the clicks the test makes, winner sent to the rest, nobody
/// messaged twice) on two worker replicas: both run the decider, the retry driver and the consumers, and the test is
/// still decided once and its rest released once (one link per message), every message called once per attempt.
/// </summary>
[Collection(TwoWorkerReplicasCollection.Name)]
public sealed class AbTestReplicaTests(TwoWorkerReplicas replicas)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_full_run_on_two_worker_replicas_decides_once_and_sends_the_winner_to_the_rest_once()
    {
        using var api = replicas.Graph.CreateClient();
        var run = new AbTestRun(api, replicas.Database, replicas.Graph.App.GetEndpoint("api", "http"));

        var outcome = await run.RunAsync(recipients: 300, samplePercent: 20);

        // Both replicas took part: each called some of the campaign's messages (batches of 20 from the sharded queue).
        var calls = await new DeliveryDatabase(replicas.Database).CallsAsync(outcome.Id, Ct);
        var sampleIds = outcome.Messages.Where(m => outcome.Sample.Contains(m["customer_id"]!.GetValue<long>()))
            .Select(m => m["id"]!.GetValue<long>()).ToHashSet();
        var byWorker = calls.GroupBy(c => c.Worker).ToDictionary(g => g.Key,
            g => (Sample: g.Count(c => sampleIds.Contains(c.MessageId)), Winner: g.Count(c => !sampleIds.Contains(c.MessageId))));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"winner {outcome.Winner}; calls per worker (sample, rest): {string.Join("; ", byWorker.Select(w => $"{w.Key}: {w.Value}"))}");
        Assert.Equal(2, byWorker.Count);
        Assert.Equal(calls.Count, calls.Select(c => (c.MessageId, c.Attempt)).Distinct().Count());
        Assert.Equal(300, calls.Select(c => c.MessageId).Distinct().Count());
    }
}
