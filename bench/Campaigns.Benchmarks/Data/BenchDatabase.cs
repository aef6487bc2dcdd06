using Dapper;
using Npgsql;

namespace Campaigns.Benchmarks.Data;

/// <summary>
/// Direct access to campaignsdb: the benchmark makes its data with set-based SQL (seconds for a
/// million rows, where the API would take minutes), and measures the floors on the same database.
/// </summary>
public sealed class BenchDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public const string Template = "Hi {first_name}! {preferred_product} is 20% off in {location} this weekend.";

    public NpgsqlDataSource DataSource => dataSource;

    public static BenchDatabase Create(string connectionString) =>
        new(NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            CommandTimeout = 0, // a million-row insert on a busy 2-core machine takes what it takes
            MaxPoolSize = 20,
        }.ConnectionString));

    /// <summary>Inserts <paramref name="count"/> customers in one statement and returns their ids in order.</summary>
    public async Task<long[]> CreateCustomersAsync(int count, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO customers (phone, first_name, last_name, location, preferred_product)
            SELECT '+2547' || lpad(g::text, 8, '0'), 'Customer' || g, 'Bench',
                   (ARRAY['Nairobi', 'Mombasa', 'Kisumu', 'Nakuru'])[1 + g % 4],
                   (ARRAY['Shoes', 'Phones', 'Bags'])[1 + g % 3]
            FROM generate_series(1, @count) AS g;
            SELECT id FROM customers WHERE last_name = 'Bench' ORDER BY id;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(sql, new { count }, cancellationToken: cancellationToken))).ToArray();
        await AnalyzeAsync(cancellationToken);
        return ids;
    }

    /// <summary>A campaign the floors write into: <c>sending</c>, audience attached, like one the API just accepted.</summary>
    public async Task<long> CreateSendingCampaignAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CreateSendingCampaignAsync(connection, null, name, cancellationToken);
    }

    /// <summary>
    /// The same in the caller's transaction: with a worker running, a <c>sending</c> campaign with nothing
    /// pending is complete to its sweep, so one written while workers run gets its messages in the same commit.
    /// </summary>
    public static Task<long> CreateSendingCampaignAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name,
        CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at)
            VALUES (@name, 'sms', 'sending', @template, now())
            RETURNING id
            """;
        return connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { name, template = Template }, transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Deletes a throwaway campaign and its messages, and tidies up after it.</summary>
    public async Task DropCampaignAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM campaigns WHERE id = @campaignId",
                new { campaignId }, cancellationToken: cancellationToken));
        }
        await VacuumAsync(cancellationToken);
    }

    public async Task VacuumAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("VACUUM (ANALYZE) outbound_messages, provider_message_ids, message_events, campaigns",
            cancellationToken: cancellationToken));
    }

    public async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE customers, campaigns, outbound_messages", cancellationToken: cancellationToken));
    }

    public async Task<string> ServerVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return connection.PostgreSqlVersion.ToString();
    }

    /// <summary>A message as the API renders it for a customer the benchmark created (same length, same shape).</summary>
    public static string RenderFor(long customerNumber) =>
        $"Hi Customer{customerNumber}! {Products[customerNumber % 3]} is 20% off in {Locations[customerNumber % 4]} this weekend.";

    private static readonly string[] Locations = ["Nairobi", "Mombasa", "Kisumu", "Nakuru"];
    private static readonly string[] Products = ["Shoes", "Phones", "Bags"];

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
