using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// Receipts through the state machine's functions (migration 0011): a message accepted the way the worker
/// records it (<c>record_attempt_outcomes</c> with the provider's answer), receipts stored the way the
/// webhooks store them (<c>store_receipts</c>), and the applier. The shared graph's worker applies receipts
/// too (every 250 ms), so a test waits for a state with a deadline, applying as it waits, and never depends
/// on which applier got there.
/// </summary>
public sealed class ReceiptScene(NpgsqlDataSource database)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>An attempt's outcome as the worker records it, with the provider's answer (parameters: <see cref="OutcomeParameters"/>).</summary>
    public const string Outcome = """
        SELECT id, status FROM record_attempt_outcomes(
            ARRAY[@id]::bigint[], ARRAY[@claimed], ARRAY[@status], ARRAY[@retryCount], ARRAY[@error]::text[],
            ARRAY[@delay]::interval[], false, ARRAY[@provider]::text[], ARRAY[@providerMessageId]::text[],
            ARRAY[@errorCode]::text[], ARRAY[@unknown], ARRAY[@suppress])
        """;

    public sealed record Message(long Id, long CustomerId, string Status, string? Provider, string? ProviderMessageId,
        DateTime? SentAt, DateTime? DeliveredAt, DateTime? ReadAt, string? ErrorCode, string? AttemptProvider, bool AttemptUnknown);

    public sealed record Event(string Type, string? Provider, string? Detail);

    /// <summary>A campaign's counters as every reader sees them (campaign_totals).</summary>
    public sealed record Counters(int Total, int Pending, int Sending, int Sent, int Delivered, int Undelivered, int Failed,
        int Cancelled, int Expired, int Read);

    public StateMachineScene Scene { get; } = new(database);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An id shaped like the provider's own, used by no other test.</summary>
    public static string ProviderMessageId(string provider) => provider switch
    {
        "twilio" => $"SM{Guid.NewGuid():N}",
        "africastalking" => $"ATXid_{Guid.NewGuid():N}",
        _ => $"wamid.{Guid.NewGuid():N}",
    };

    /// <summary>
    /// A sending campaign with <paramref name="sending"/> messages in flight and one more pending, queued an
    /// hour ahead: neither the worker's retry driver nor its completion sweep touches the campaign.
    /// </summary>
    public async Task<(long Campaign, long[] Messages)> InFlightAsync(int sending = 1)
    {
        var campaign = await Scene.CampaignAsync("paused");
        var messages = new long[sending];
        for (var i = 0; i < sending; i++)
        {
            messages[i] = (await Scene.MessageAsync(campaign, "sending")).Id;
        }
        await Scene.MessageAsync(campaign, "pending", queuedIn: StateMachineScene.Later);
        await Scene.SetStatusAsync(campaign, "sending");
        return (campaign, messages);
    }

    public async Task<(long Campaign, long Message)> OneInFlightAsync()
    {
        var (campaign, messages) = await InFlightAsync();
        return (campaign, messages[0]);
    }

    public static object OutcomeParameters(long id, string status, int claimed = 0, int? retryCount = null,
        string? error = null, TimeSpan? delay = null, string? provider = null, string? providerMessageId = null,
        string? errorCode = null, bool unknown = false, bool suppress = false) => new
        {
            id, claimed, status, retryCount = retryCount ?? claimed, error, delay = delay ?? TimeSpan.Zero, provider,
            providerMessageId, errorCode, unknown, suppress,
        };

    public Task<List<(long Id, string Status)>> OutcomeAsync(long id, string status, int claimed = 0, int? retryCount = null,
        string? error = null, TimeSpan? delay = null, string? provider = null, string? providerMessageId = null,
        string? errorCode = null, bool unknown = false, bool suppress = false) =>
        Scene.CallManyAsync<(long, string)>(Outcome,
            OutcomeParameters(id, status, claimed, retryCount, error, delay, provider, providerMessageId, errorCode, unknown, suppress));

    /// <summary>Records the message accepted by <paramref name="provider"/>; returns the provider's id for it.</summary>
    public async Task<string> AcceptedAsync(long id, string provider = "twilio", string? providerMessageId = null)
    {
        providerMessageId ??= ProviderMessageId(provider);
        Assert.Equal([(id, "sent")], await OutcomeAsync(id, "sent", provider: provider, providerMessageId: providerMessageId));
        return providerMessageId;
    }

    /// <summary>Stores a receipt <paramref name="copies"/> times in one request, as a webhook does.</summary>
    public Task StoreAsync(string provider, string providerMessageId, string kind, string providerStatus,
        string? errorCode = null, DateTime? occurredAt = null, bool suppress = false, int copies = 1) =>
        StoreInOneRequestAsync(provider, providerMessageId,
            [.. Enumerable.Repeat((kind, providerStatus, errorCode, occurredAt, suppress), copies)]);

    /// <summary>
    /// Several receipts of one message in one request (as WhatsApp batches statuses), so stored in one transaction: an
    /// applier takes them in one batch, where the one that happened first decides.
    /// </summary>
    public Task StoreTogetherAsync(string provider, string providerMessageId,
        params (string Kind, string ProviderStatus, string? ErrorCode, DateTime OccurredAt)[] receipts) =>
        StoreInOneRequestAsync(provider, providerMessageId,
            [.. receipts.Select(r => (r.Kind, r.ProviderStatus, r.ErrorCode, (DateTime?)r.OccurredAt, false))]);

    private async Task StoreInOneRequestAsync(string provider, string providerMessageId,
        IReadOnlyList<(string Kind, string ProviderStatus, string? ErrorCode, DateTime? OccurredAt, bool Suppress)> receipts)
    {
        var stored = await Scene.CallAsync<int>(
            "SELECT store_receipts(@provider, @ids, @kinds, @statuses, @errorCodes, @occurredAt, @suppress)", new
            {
                provider,
                ids = receipts.Select(_ => providerMessageId).ToArray(),
                kinds = receipts.Select(r => r.Kind).ToArray(),
                statuses = receipts.Select(r => r.ProviderStatus).ToArray(),
                errorCodes = receipts.Select(r => r.ErrorCode).ToArray(),
                occurredAt = receipts.Select(r => r.OccurredAt is { } at ? new DateTimeOffset(at) : (DateTimeOffset?)null).ToArray(),
                suppress = receipts.Select(r => r.Suppress).ToArray(),
            });
        Assert.Equal(receipts.Count, stored);
    }

    /// <summary>One round of the applier (it takes every ready receipt of the inbox, not only this test's).</summary>
    public Task<int> ApplyAsync() => Scene.CallAsync<int>("SELECT count(*)::int FROM apply_receipts(100000)", null);

    /// <summary>Applies until <paramref name="condition"/> holds, within the deadline.</summary>
    public Task UntilAsync(Func<Task<bool>> condition, string what) => WaitAsync(condition, what, apply: true);

    /// <summary>Polls until <paramref name="condition"/> holds, within the deadline; applies receipts between polls if asked.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, string what, bool apply = false)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (apply)
            {
                await ApplyAsync();
            }
            if (await condition())
            {
                return;
            }
            Assert.True(waited.Elapsed < Deadline, $"not within {Deadline}: {what}");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Applies until none of this id's receipts is left in the inbox: each was applied, by the test or the worker.</summary>
    public Task AppliedAsync(string provider, string providerMessageId) =>
        UntilAsync(async () => await InboxAsync(provider, providerMessageId) == (0, 0), $"receipts of {providerMessageId} applied");

    /// <summary>This id's receipts in the inbox: ready to apply, and waiting for their id to be recorded.</summary>
    public Task<(int Ready, int Waiting)> InboxAsync(string provider, string providerMessageId) =>
        Scene.CallAsync<(int, int)>("""
            SELECT count(*) FILTER (WHERE waiting_since IS NULL)::int, count(*) FILTER (WHERE waiting_since IS NOT NULL)::int
            FROM provider_receipts WHERE provider = @provider AND provider_message_id = @providerMessageId
            """, new { provider, providerMessageId });

    public Task<Message> ReadAsync(long id) => Scene.CallAsync<Message>("""
        SELECT id, customer_id, status, provider, provider_message_id, sent_at, delivered_at, read_at, error_code,
               attempt_provider, attempt_unknown
        FROM outbound_messages WHERE id = @id
        """, new { id });

    /// <summary>The message's stored timeline, oldest first.</summary>
    public Task<List<Event>> EventsAsync(long id) =>
        Scene.CallManyAsync<Event>("SELECT type, provider, detail FROM message_events WHERE message_id = @id ORDER BY id", new { id });

    /// <summary>The campaign's counters; asserts they equal its messages' statuses (and read_at) counted one by one.</summary>
    public async Task<Counters> CountersAsync(long campaign)
    {
        var counters = await Scene.CallAsync<Counters>("""
            SELECT total_count AS total, pending_count AS pending, sending_count AS sending, sent_count AS sent,
                   delivered_count AS delivered, undelivered_count AS undelivered, failed_count AS failed,
                   cancelled_count AS cancelled, expired_count AS expired, read_count AS read
            FROM campaign_totals WHERE id = @campaign
            """, new { campaign });
        var counted = await Scene.CallAsync<Counters>("""
            SELECT count(*)::int AS total,
                   count(*) FILTER (WHERE status = 'pending')::int AS pending,
                   count(*) FILTER (WHERE status = 'sending')::int AS sending,
                   count(*) FILTER (WHERE status = 'sent')::int AS sent,
                   count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
                   count(*) FILTER (WHERE status = 'undelivered')::int AS undelivered,
                   count(*) FILTER (WHERE status = 'failed')::int AS failed,
                   count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
                   count(*) FILTER (WHERE status = 'expired')::int AS expired,
                   count(*) FILTER (WHERE read_at IS NOT NULL)::int AS read
            FROM outbound_messages WHERE campaign_id = @campaign
            """, new { campaign });
        Assert.Equal(counted, counters);
        return counters;
    }

    public Task<bool> OptedOutAsync(long customer) =>
        Scene.CallAsync<bool>("SELECT opted_out FROM customers WHERE id = @customer", new { customer });

    /// <summary>A time as Postgres stores it (whole microseconds), a few seconds ago so that ordering by it is the test's.</summary>
    public static DateTime At(int secondsAgo)
    {
        var at = DateTime.UtcNow.AddSeconds(-secondsAgo);
        return at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
    }
}
