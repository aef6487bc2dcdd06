using Campaigns.Core.Domain;
using Campaigns.Tests.StateMachine;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.Browser;

/// <summary>
/// A sending campaign whose messages a provider accepted and then reported on, moved only by the state machine's
/// own functions: claimed, recorded <c>sent</c> with the provider's message ids, receipts stored as the webhooks
/// store them, and applied by the running worker (so counters, receipt times and events are the real ones).
/// </summary>
public sealed class ReceiptScene(NpgsqlDataSource database)
{
    public const string Provider = ProviderName.Twilio;

    public sealed record SentMessage(long Id, string ProviderMessageId);

    public sealed record Receipt(string ProviderMessageId, string Kind, string ProviderStatus, string? ErrorCode, DateTime OccurredAt);

    private const string ClaimSql = "SELECT id FROM claim_messages(@ids, @stamps, interval '1 hour')";

    private const string RecordSentSql = """
        SELECT id, status FROM record_attempt_outcomes(@ids, @claimed, @statuses, @claimed, @errors, @delays, false,
                                                       @providers, @providerMessageIds, @errorCodes, @unknown, @suppress)
        """;

    private const string StoreSql = "SELECT store_receipts(@provider, @ids, @kinds, @statuses, @errorCodes, @occurredAt, @suppress)";

    private const string WaitingSql = "SELECT count(*) FROM provider_receipts WHERE provider = @provider AND provider_message_id = ANY(@ids)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <returns>The campaign (status <c>sending</c>, every message <c>sent</c> through <see cref="Provider"/>), its messages in id order.</returns>
    public async Task<(long Campaign, IReadOnlyList<SentMessage> Messages)> SentCampaignAsync(int count)
    {
        var scene = new StateMachineScene(database);
        var campaign = await scene.CampaignAsync("paused");
        var messages = new List<StateMachineScene.Message>();
        for (var i = 0; i < count; i++)
        {
            messages.Add(await scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later));
        }
        await scene.SetStatusAsync(campaign, "sending");

        var ids = messages.Select(m => m.Id).ToArray();
        var providerMessageIds = ids.Select(_ => $"SM{Guid.NewGuid():N}").ToArray();
        await using var connection = await database.OpenConnectionAsync(Ct);
        var claimed = (await connection.QueryAsync<long>(new CommandDefinition(ClaimSql,
            new { ids, stamps = messages.Select(m => m.QueuedAt!.Value).ToArray() }, cancellationToken: Ct))).Order();
        Assert.Equal(ids, claimed);
        var recorded = await connection.QueryAsync<(long Id, string Status)>(new CommandDefinition(RecordSentSql, new
        {
            ids,
            claimed = new int[count],
            statuses = Enumerable.Repeat(MessageStatus.Sent, count).ToArray(),
            errors = new string?[count],
            delays = new TimeSpan[count],
            providers = Enumerable.Repeat(Provider, count).ToArray(),
            providerMessageIds,
            errorCodes = new string?[count],
            unknown = new bool[count],
            suppress = new bool[count],
        }, cancellationToken: Ct));
        Assert.All(recorded, r => Assert.Equal(MessageStatus.Sent, r.Status));
        Assert.Equal(count, recorded.Count());
        return (campaign, ids.Zip(providerMessageIds, (id, providerId) => new SentMessage(id, providerId)).ToList());
    }

    /// <summary>Stores the receipts in one call, as one webhook would, and waits until the worker has applied them all.</summary>
    public async Task StoreAndApplyAsync(IReadOnlyList<Receipt> receipts)
    {
        var ids = receipts.Select(r => r.ProviderMessageId).ToArray();
        await using var connection = await database.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition(StoreSql, new
        {
            provider = Provider,
            ids,
            kinds = receipts.Select(r => r.Kind).ToArray(),
            statuses = receipts.Select(r => r.ProviderStatus).ToArray(),
            errorCodes = receipts.Select(r => r.ErrorCode).ToArray(),
            occurredAt = receipts.Select(r => r.OccurredAt).ToArray(),
            suppress = new bool[receipts.Count],
        }, cancellationToken: Ct));

        // Applied receipts leave the inbox; the applier looks every 250 ms.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (await connection.ExecuteScalarAsync<long>(new CommandDefinition(WaitingSql, new { provider = Provider, ids },
                   cancellationToken: deadline.Token)) > 0)
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
