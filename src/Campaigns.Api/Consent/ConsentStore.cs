using Campaigns.Api.Paging;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Consent;

/// <summary>
/// The suppression list and the inbound messages, read and written through migration 0012's functions
/// (<c>add_suppressions</c>, <c>remove_suppressions</c>), which keep <c>customers.opted_out</c> in step. The lists read
/// the read replica (<see cref="Data.ReadReplica"/>); everything else the primary.
/// </summary>
public sealed class ConsentStore(NpgsqlDataSource dataSource, Data.ReadReplica replica)
{
    public const string SourceApi = "api";

    /// <summary>Newest first; up to <c>PageSize + 1</c> rows and the filtered total.</summary>
    public async Task<(IReadOnlyList<SuppressionRow> Rows, long Total)> ListSuppressionsAsync(PageRequest page, string? phone,
        CancellationToken cancellationToken)
    {
        var where = phone is null ? null : $"phone = {ListConditions.Value("@phone")}";
        var sql = $"""
            SELECT {SuppressionRow.Columns} FROM suppressions
            {ListConditions.Where(where, page.BeforeCondition())}
            ORDER BY id DESC {page.LimitSql};
            SELECT count(*) FROM suppressions {ListConditions.Where(where)};
            """;
        return await PageAsync<SuppressionRow>(sql, page, new { phone }, cancellationToken);
    }

    /// <summary>Newest first; up to <c>PageSize + 1</c> rows and the total.</summary>
    public async Task<(IReadOnlyList<InboundRow> Rows, long Total)> ListInboundAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {InboundRow.Columns} FROM inbound_messages
            {ListConditions.Where(page.BeforeCondition())}
            ORDER BY id DESC {page.LimitSql};
            SELECT count(*) FROM inbound_messages;
            """;
        return await PageAsync<InboundRow>(sql, page, new { }, cancellationToken);
    }

    public async Task<InboundRow?> GetInboundAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<InboundRow>(new CommandDefinition(
            $"SELECT {InboundRow.Columns} FROM inbound_messages WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The phone's suppression on that channel (null: every channel) if one exists, of any source
    /// (<c>Created</c> false); else a new one from the API. One request per phone at a time decides.
    /// </summary>
    public async Task<(SuppressionRow Row, bool Created)> SuppressAsync(string phone, string? channel, string? reason,
        CancellationToken cancellationToken)
    {
        const string existing = $"""
            SELECT {SuppressionRow.Columns} FROM suppressions
            WHERE phone = @phone AND channel IS NOT DISTINCT FROM @channel ORDER BY id LIMIT 1
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var parameters = new { phone, channel, reason, source = SourceApi };
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('consent:' || @phone))",
            parameters, transaction, cancellationToken: cancellationToken));
        if (await connection.QuerySingleOrDefaultAsync<SuppressionRow>(new CommandDefinition(existing, parameters, transaction,
                cancellationToken: cancellationToken)) is { } found)
        {
            await transaction.CommitAsync(cancellationToken);
            return (found, false);
        }
        await connection.ExecuteAsync(new CommandDefinition("SELECT add_suppressions(ARRAY[@phone], @channel, @source, @reason)",
            parameters, transaction, cancellationToken: cancellationToken));
        var created = await connection.QuerySingleAsync<SuppressionRow>(new CommandDefinition(existing, parameters, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (created, true);
    }

    /// <summary>Removes the phone's suppressions, every one or one channel's; false when there were none.</summary>
    public async Task<bool> UnsuppressAsync(string phone, string? channel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var removed = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT remove_suppressions(ARRAY[@phone], @channel, @everyChannel, NULL)",
            new { phone, channel, everyChannel = channel is null }, cancellationToken: cancellationToken));
        return removed > 0;
    }

    private async Task<(IReadOnlyList<T> Rows, long Total)> PageAsync<T>(string sql, PageRequest page, object filter,
        CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(filter);
        parameters.Add("beforeId", page.BeforeId);
        return await replica.ReadAsync<(IReadOnlyList<T>, long)>(async connection =>
        {
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            var rows = (await results.ReadAsync<T>()).AsList();
            var total = await results.ReadSingleAsync<long>();
            return (rows, total);
        }, cancellationToken);
    }
}
