using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Delivery;

[CollectionDefinition(nameof(OwnGraphs), DisableParallelization = true)]
public sealed class OwnGraphs;

/// <summary>Two worker replicas share one campaign: every message is delivered, none twice.</summary>
[Collection(TwoWorkerReplicasCollection.Name)]
public sealed class ReplicaDeliveryTests(TwoWorkerReplicas replicas)
{
    [Fact]
    public async Task Two_replicas_deliver_one_campaign_without_calling_any_message_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var send = new SendThroughApi(replicas.Graph, replicas.Database);
        var db = new DeliveryDatabase(replicas.Database);

        var phones = Enumerable.Range(0, 600).Select(_ => Unique.KenyanPhone())
            .Concat(Enumerable.Range(0, 10).Select(_ => DeliveryPhones.ForcedTransient()))
            .ToList();
        var sent = await send.SendAsync(phones, ct);
        var campaign = await db.WaitUntilNotAsync(sent.CampaignId, "sending", TimeSpan.FromSeconds(90), ct);

        Assert.Equal("sent", campaign.Status);
        await db.AssertCountersMatchAsync(sent.CampaignId, ct);
        var calls = await db.CallsAsync(sent.CampaignId, ct);
        Assert.Equal(calls.Count, calls.Select(c => (c.MessageId, c.Attempt)).Distinct().Count());
        var messages = await db.MessagesAsync(sent.CampaignId, ct);
        Assert.All(messages.Values, m =>
        {
            var attempts = calls.Where(c => c.MessageId == m.Id).Select(c => c.Attempt).ToList();
            Assert.Equal(Enumerable.Range(1, m.Status == "sent" ? m.RetryCount + 1 : 3), attempts);
        });
        Assert.Equal(2, calls.Select(c => c.Worker).Distinct().Count());
    }
}
