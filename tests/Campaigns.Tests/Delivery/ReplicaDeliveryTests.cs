using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Campaigns.Tests.Infrastructure;
using Npgsql;

namespace Campaigns.Tests.Delivery;

[CollectionDefinition(nameof(OwnGraphs), DisableParallelization = true)]
public sealed class OwnGraphs;

/// <summary>Two worker replicas share one campaign: every message is delivered, none twice.</summary>
[Collection(nameof(OwnGraphs))]
public sealed class ReplicaDeliveryTests
{
    [Fact]
    public async Task Two_replicas_deliver_one_campaign_without_calling_any_message_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var graph = await CampaignsGraph.StartAsync(builder => builder
            .CreateResourceBuilder<ProjectResource>("worker")
            .WithReplicas(2)
            // Small batches so that both replicas get a share of one campaign.
            .WithEnvironment("Worker__BatchSize", "20")
            .WithEnvironment("Worker__Concurrency", "40"), ct);
        await using var database = NpgsqlDataSource.Create(await graph.ConnectionStringAsync("campaignsdb", ct));
        await using var send = new SendThroughApi(graph, database);
        var db = new DeliveryDatabase(database);

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
