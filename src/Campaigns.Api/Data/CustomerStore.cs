using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>Reads and writes customers.</summary>
public sealed class CustomerStore(NpgsqlDataSource dataSource)
{
    public async Task<CustomerRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {CustomerRow.Columns} FROM customers WHERE id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CustomerRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }
}
