using System.Net;
using Campaigns.Core.Queue;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;
using StackExchange.Redis;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// Sends a campaign the way a client does: customers with the given phones (created in bulk), a
/// campaign through <c>POST /campaigns</c> (scheduled when asked), then <c>POST /campaigns/{id}/send</c>.
/// Returns each recipient's message id by phone, for checking outcomes per recipient.
/// </summary>
public sealed class SendThroughApi(CampaignsGraph graph, NpgsqlDataSource database) : IAsyncDisposable
{
    private readonly HttpClient _api = graph.CreateClient();
    private ConnectionMultiplexer? _redis;

    public sealed record Sent(long CampaignId, IReadOnlyDictionary<string, long> MessageIdByPhone);

    public Task<Sent> SendAsync(IReadOnlyList<string> phones, CancellationToken cancellationToken) =>
        CreateAsync(phones, scheduledAt: null, cancellationToken);

    public Task<Sent> ScheduleAsync(IReadOnlyList<string> phones, DateTimeOffset scheduledAt, CancellationToken cancellationToken) =>
        CreateAsync(phones, scheduledAt, cancellationToken);

    /// <summary>Publishes the queued messages' jobs again, stamped as their rows are: duplicates of live jobs.</summary>
    public async Task PublishDuplicatesAsync(IEnumerable<long> messageIds, CancellationToken cancellationToken)
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync(await graph.ConnectionStringAsync("redis", cancellationToken));
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var stamps = await connection.QueryAsync<(long Id, DateTime QueuedAt)>(new CommandDefinition(
            "SELECT id, queued_at FROM outbound_messages WHERE id = ANY(@ids) AND queued_at IS NOT NULL",
            new { ids = messageIds.ToArray() }, cancellationToken: cancellationToken));
        foreach (var stamp in stamps.GroupBy(s => s.QueuedAt))
        {
            await new SendJobPublisher(_redis, CampaignsGraph.Queue).PublishAsync(new QueuedMessages([.. stamp.Select(s => s.Id)], stamp.Key), cancellationToken);
        }
    }

    private async Task<Sent> CreateAsync(IReadOnlyList<string> phones, DateTimeOffset? scheduledAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var customers = (await connection.QueryAsync<(long Id, string Phone)>(new CommandDefinition("""
            INSERT INTO customers (phone, first_name) SELECT p, 'Amina' FROM unnest(@phones::text[]) AS p
            RETURNING id, phone
            """, new { phones = phones.ToArray() }, cancellationToken: cancellationToken))).AsList();

        var campaignId = (await _api.CreateCampaignAsync(cancellationToken, template: "Hi {first_name}", scheduledAt: scheduledAt))["id"]!
            .GetValue<long>();
        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send",
            new { customer_ids = customers.Select(c => c.Id).ToArray() }, cancellationToken);
        response.Expect(HttpStatusCode.Accepted);

        var messages = await connection.QueryAsync<(long Id, long CustomerId)>(new CommandDefinition(
            "SELECT id, customer_id FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId },
            cancellationToken: cancellationToken));
        var phoneByCustomer = customers.ToDictionary(c => c.Id, c => c.Phone);
        return new Sent(campaignId, messages.ToDictionary(m => phoneByCustomer[m.CustomerId], m => m.Id));
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
