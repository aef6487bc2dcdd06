using Dapper;
using Npgsql;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// The plans of the statements a database function runs, which <c>EXPLAIN</c> of the call cannot show:
/// auto_explain logs every nested statement's plan as a notice to this client while the call runs, in a
/// transaction that is rolled back afterwards (the call's changes are discarded).
/// </summary>
public static class NestedPlans
{
    public static Task<string> CaptureAsync(NpgsqlDataSource database, string sql, object? parameters, CancellationToken cancellationToken) =>
        CaptureAsync(database, sql, parameters, analyze: false, cancellationToken);

    /// <summary>
    /// The plans as run (<c>EXPLAIN ANALYZE</c>, no timing): a partition that run-time pruning left out of a
    /// parameterized scan shows as <c>(never executed)</c>.
    /// </summary>
    public static Task<string> CaptureExecutedAsync(NpgsqlDataSource database, string sql, object? parameters, CancellationToken cancellationToken) =>
        CaptureAsync(database, sql, parameters, analyze: true, cancellationToken);

    private static async Task<string> CaptureAsync(
        NpgsqlDataSource database, string sql, object? parameters, bool analyze, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var plans = new List<string>();
        connection.Notice += (_, e) => plans.Add(e.Notice.MessageText);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            LOAD 'auto_explain';
            SET LOCAL auto_explain.log_min_duration = 0;
            SET LOCAL auto_explain.log_nested_statements = on;
            SET LOCAL auto_explain.log_level = 'notice';
            SET LOCAL client_min_messages = 'notice';
            """, transaction: transaction, cancellationToken: cancellationToken));
        if (analyze)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                SET LOCAL auto_explain.log_analyze = on;
                SET LOCAL auto_explain.log_timing = off;
                """, transaction: transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        await transaction.RollbackAsync(cancellationToken);
        return string.Join("\n\n", plans);
    }
}
