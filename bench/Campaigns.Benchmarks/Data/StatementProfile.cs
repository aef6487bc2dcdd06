using Dapper;
using Npgsql;

namespace Campaigns.Benchmarks.Data;

/// <summary>
/// Where Postgres spent its time during a scenario: the top statements of <c>pg_stat_statements</c>
/// (preloaded by the AppHost's local Postgres when the extension is installed), reset before the
/// scenario and read after it. Without the extension the profile is simply empty.
/// </summary>
public sealed class StatementProfile(NpgsqlDataSource dataSource)
{
    private const int Top = 10;

    public sealed record Statement(string Query, long Calls, double TotalMs, double MeanMs, long Rows);

    private bool? _available;

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        _available ??= await TryCreateExtensionAsync(connection, cancellationToken);
        if (_available == true)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_stat_statements_reset()", cancellationToken: cancellationToken));
        }
    }

    public async Task<IReadOnlyList<Statement>> ReadAsync(CancellationToken cancellationToken)
    {
        if (_available != true)
        {
            return [];
        }
        const string sql = """
            SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 240) AS query, calls,
                   round(total_exec_time::numeric, 1)::float8 AS totalms,
                   round(mean_exec_time::numeric, 3)::float8 AS meanms, rows
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time DESC
            LIMIT @top
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Statement>(new CommandDefinition(sql, new { top = Top }, cancellationToken: cancellationToken))).AsList();
    }

    private static async Task<bool> TryCreateExtensionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_stat_statements_reset()", cancellationToken: cancellationToken));
            return true;
        }
        catch (PostgresException)
        {
            return false; // not installed, or not preloaded
        }
    }
}
