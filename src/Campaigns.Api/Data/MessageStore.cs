using Campaigns.Api.Paging;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>Reads a campaign's messages, newest first, by page or keyset cursor: the list from the read replica, one by id from the primary.</summary>
public sealed class MessageStore(NpgsqlDataSource dataSource, ReadReplica replica)
{
    /// <returns>Up to <c>PageSize + 1</c> rows (the extra one says a next page exists); none for a page too deep.</returns>
    public async Task<IReadOnlyList<MessageRow>> ListAsync(long campaignId, PageRequest page, string? status,
        CancellationToken cancellationToken)
    {
        if (page.IsTooDeep)
        {
            return [];
        }
        var sql = ListRowsSql(page, status is not null);
        var rows = await replica.ReadAsync(connection => connection.QueryAsync<MessageRow>(new CommandDefinition(sql,
            new { campaignId, status, beforeId = page.BeforeId },
            cancellationToken: cancellationToken)), cancellationToken);
        return rows.AsList();
    }

    /// <summary>A page of a campaign's messages, newest first (<c>@campaignId</c>, <c>@status</c> when filtered, <c>@beforeId</c> for a cursor).</summary>
    public static string ListRowsSql(PageRequest page, bool byStatus) => $"""
        SELECT {MessageRow.Columns} FROM outbound_messages
        {ListConditions.Where($"campaign_id = {ListConditions.Value("@campaignId")}",
            byStatus ? $"status = {ListConditions.Value("@status")}" : null, page.BeforeCondition())}
        ORDER BY id DESC {page.LimitSql}
        """;

    public async Task<MessageRow?> GetAsync(long campaignId, long messageId, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {MessageRow.Columns} FROM outbound_messages WHERE id = @messageId AND campaign_id = @campaignId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(sql,
            new { campaignId, messageId }, cancellationToken: cancellationToken));
    }
}
