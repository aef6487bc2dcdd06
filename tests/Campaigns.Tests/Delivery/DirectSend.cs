using Campaigns.Core.Queue;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;
using StackExchange.Redis;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// Sets up a send the way <c>POST /campaigns/{id}/send</c> does, straight in Postgres and Redis: one
/// transaction inserts the campaign (<c>sending</c>, or <c>scheduled</c>), its audience's messages
/// (<c>pending</c>, content rendered, <c>next_attempt_at</c> at the requeue horizon) and its counters;
/// after commit one job per message is published (not for a scheduled campaign: the worker dispatches it).
/// Swap for the HTTP call once the API's send endpoint exists.
/// </summary>
public sealed class DirectSend(CampaignsGraph graph, NpgsqlDataSource database) : IAsyncDisposable
{
    private static readonly TimeSpan RequeueHorizon = TimeSpan.FromSeconds(60);
    private ConnectionMultiplexer? _redis;

    public sealed record Sent(long CampaignId, IReadOnlyDictionary<string, long> MessageIdByPhone);

    public async Task<Sent> SendAsync(IReadOnlyList<string> phones, CancellationToken cancellationToken) =>
        await CreateAsync(phones, scheduledAt: null, cancellationToken);

    public async Task<Sent> ScheduleAsync(IReadOnlyList<string> phones, DateTimeOffset scheduledAt, CancellationToken cancellationToken) =>
        await CreateAsync(phones, scheduledAt, cancellationToken);

    /// <summary>Publishes the jobs again, as a duplicate publisher (or a resume) would.</summary>
    public async Task PublishAsync(IEnumerable<long> messageIds, CancellationToken cancellationToken)
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync(await graph.ConnectionStringAsync("redis", cancellationToken));
        await new SendJobPublisher(_redis).PublishAsync(messageIds.ToList(), cancellationToken);
    }

    private async Task<Sent> CreateAsync(IReadOnlyList<string> phones, DateTimeOffset? scheduledAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var customers = (await connection.QueryAsync<(long Id, string Phone)>(new CommandDefinition("""
            INSERT INTO customers (phone, first_name) SELECT p, 'Amina' FROM unnest(@phones::text[]) AS p
            RETURNING id, phone
            """, new { phones = phones.ToArray() }, transaction, cancellationToken: cancellationToken))).AsList();

        var campaignId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO campaigns (name, channel, status, base_template, scheduled_at, audience_attached_at,
                                   total_count, pending_count)
            VALUES (@name, 'sms', @status, 'Hi {first_name}', @scheduledAt, now(), @count, @count)
            RETURNING id
            """, new
            {
                name = Unique.Name("delivery"),
                status = scheduledAt is null ? "sending" : "scheduled",
                scheduledAt,
                count = customers.Count,
            }, transaction, cancellationToken: cancellationToken));

        var messages = (await connection.QueryAsync<(long Id, long CustomerId)>(new CommandDefinition("""
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, next_attempt_at)
            SELECT @campaignId, c, 'pending', 'Hi Amina', now() + @horizon
            FROM unnest(@customerIds::bigint[]) AS c
            RETURNING id, customer_id
            """, new { campaignId, customerIds = customers.Select(c => c.Id).ToArray(), horizon = RequeueHorizon },
            transaction, cancellationToken: cancellationToken))).AsList();

        await transaction.CommitAsync(cancellationToken);

        var phoneByCustomer = customers.ToDictionary(c => c.Id, c => c.Phone);
        var sent = new Sent(campaignId, messages.ToDictionary(m => phoneByCustomer[m.CustomerId], m => m.Id));
        if (scheduledAt is null)
        {
            await PublishAsync(messages.Select(m => m.Id), cancellationToken);
        }
        return sent;
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
