using Dapper;

namespace Campaigns.Benchmarks.Data;

/// <summary>
/// The links scenario's data: one tracked link per message of a campaign, written by SQL as a tracked send would
/// leave them (random 8-character codes of [0-9A-Za-z], the message's own URL).
/// </summary>
public static class LinkDataset
{
    /// <returns>How many links the campaign has now (a rare code collision drops one).</returns>
    public static async Task<long> CreateAsync(BenchDatabase database, long campaignId, CancellationToken cancellationToken)
    {
        // A random UUID's first six bytes in base64 are eight random characters; '+' and '/' become letters (a slight
        // bias a benchmark does not mind).
        const string sql = """
            INSERT INTO links (code, message_id, campaign_id, url)
            SELECT translate(left(encode(uuid_send(gen_random_uuid()), 'base64'), 8), '+/', 'Xy'), m.id, m.campaign_id,
                   'https://shop.example.com/offers/' || m.customer_id
            FROM outbound_messages m WHERE m.campaign_id = @campaignId
            ON CONFLICT (code) DO NOTHING;
            SELECT count(*) FROM links WHERE campaign_id = @campaignId;
            """;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { campaignId },
            commandTimeout: 600, cancellationToken: cancellationToken));
    }

    /// <summary>Codes of the campaign's links drawn at random, for requests spread over the whole table.</summary>
    public static async Task<string[]> SampleCodesAsync(BenchDatabase database, long campaignId, int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var codes = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT code FROM links WHERE campaign_id = @campaignId ORDER BY random() LIMIT @count",
            new { campaignId, count }, commandTimeout: 600, cancellationToken: cancellationToken));
        return codes.ToArray();
    }
}
