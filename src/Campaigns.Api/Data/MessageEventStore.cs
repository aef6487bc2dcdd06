using Campaigns.Api.Contracts;
using Campaigns.Api.Paging;
using Campaigns.Core.Domain;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// Reads a message's timeline, oldest first: the stored <c>message_events</c> in id order, preceded by the
/// <c>queued</c> event that is the message's own <c>created_at</c> (never stored; position 0, so a cursor
/// after it continues with the first stored event). From the read replica; from the primary for a message the replica
/// does not have yet.
/// </summary>
public sealed class MessageEventStore(ReadReplica replica)
{
    /// <summary>The queued event's place in the list: before every stored id.</summary>
    public const long QueuedPosition = 0;

    // One statement: the message (in its campaign), how many events it has, and the page of stored events,
    // each through its index (the primary key, idx_message_events_message).
    public const string ListSql = """
        SELECT m.created_at AS message_created_at,
               (SELECT count(*) FROM message_events c WHERE c.message_id = m.id) AS stored_count,
               e.id, e.at, e.type, e.provider, e.detail
        FROM outbound_messages m
        LEFT JOIN LATERAL (
            SELECT id, at, type, provider, detail FROM message_events
            WHERE message_id = m.id AND id > @afterId
            ORDER BY id
            LIMIT @limit OFFSET @offset
        ) e ON true
        WHERE m.id = @messageId AND m.campaign_id = @campaignId
        ORDER BY e.id
        """;

    /// <returns>
    /// Null when the campaign has no such message; else up to <c>PageSize + 1</c> events (the extra one says a next
    /// page exists; none for a page too deep) and the total, the queued event included.
    /// </returns>
    public async Task<(IReadOnlyList<MessageEventRow> Rows, long Total)?> ListAsync(long campaignId, long messageId, PageRequest page,
        CancellationToken cancellationToken)
    {
        // The queued event opens the first page; every later row is a stored one, one place further down the list.
        var withQueued = !page.IsCursor && page.Offset == 0;
        var limit = page.IsTooDeep ? 0 : page.PageSize + (withQueued ? 0 : 1);
        var offset = withQueued || page.IsCursor ? 0 : page.Offset - 1;
        var found = await replica.ReadOrPrimaryAsync(async connection =>
        {
            var rows = (await connection.QueryAsync<EventPageRow>(new CommandDefinition(ListSql,
                new { campaignId, messageId, afterId = page.AfterId ?? QueuedPosition, limit, offset },
                cancellationToken: cancellationToken))).AsList();
            return rows.Count == 0 ? null : rows;
        }, cancellationToken);
        if (found is null)
        {
            return null;
        }
        var rows = new List<MessageEventRow>(found.Count + 1);
        if (withQueued && !page.IsTooDeep)
        {
            rows.Add(new MessageEventRow(QueuedPosition, found[0].MessageCreatedAt, MessageEventType.Queued, null, null));
        }
        rows.AddRange(found.Where(r => r.Id is not null).Select(r => new MessageEventRow(r.Id!.Value, r.At!.Value, r.Type!, r.Provider, r.Detail)));
        return (rows, found[0].StoredCount + 1);
    }

    private sealed class EventPageRow
    {
        public DateTime MessageCreatedAt { get; init; }
        public long StoredCount { get; init; }
        public long? Id { get; init; }
        public DateTime? At { get; init; }
        public string? Type { get; init; }
        public string? Provider { get; init; }
        public string? Detail { get; init; }
    }
}

/// <param name="Position">The event's id (<see cref="MessageEventStore.QueuedPosition"/> for queued): what a cursor holds.</param>
public sealed record MessageEventRow(long Position, DateTime At, string Type, string? Provider, string? Detail)
{
    public MessageEventResponse ToResponse() => new(CampaignRow.AsUtc(At), Type, Provider, Detail);
}
